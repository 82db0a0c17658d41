namespace OpenData.Platform.Records.Query;

/// <summary>A token at its 1-based position; Text is unescaped for strings and quoted names, and the message for errors.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    private const int ShownLength = 30;

    public string Describe() => Kind switch
    {
        TokenKind.End => "end of input",
        TokenKind.String => $"string '{Shorten(Text).Replace("'", "''", StringComparison.Ordinal)}'",
        TokenKind.QuotedName => $"'\"{Shorten(Text).Replace("\"", "\"\"", StringComparison.Ordinal)}\"'",
        _ => $"'{Shorten(Text)}'",
    };

    private static string Shorten(string text)
    {
        if (text.Length <= ShownLength)
        {
            return text;
        }
        var cut = char.IsHighSurrogate(text[ShownLength - 1]) ? ShownLength - 1 : ShownLength;
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
