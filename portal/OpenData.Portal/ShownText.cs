namespace OpenData.Portal;

/// <summary>
/// Text the catalogue holds in Chinese and perhaps English, as this page shows it: <see cref="Lang"/> names the text's
/// language when it is not the page's (a Chinese title on an English page), for an element's <c>lang</c> attribute; null otherwise.
/// </summary>
public readonly record struct ShownText(string Text, string? Lang)
{
    public override string ToString() => Text;
}
