namespace OpenData.Platform.Common;

/// <summary>
/// Endpoint metadata: this route is metered. Quota admission (issue 5) admits exactly the endpoints carrying it,
/// before any database work for the request; rows are counted through <see cref="Datasets.IRecordReadObserver"/>.
/// </summary>
internal sealed class Metered
{
    /// <summary>A metered route whose refusals admission answers itself, as problem+json (every API route).</summary>
    public static readonly Metered Instance = new(false);

    /// <summary>
    /// A metered route that answers its own refusals (a portal page, in the page's layout and language): admission writes the
    /// status and the headers, puts the refusal on the request as a feature and passes it on; the endpoint must then answer
    /// the refusal without doing the work it was refused (no row read, no database work for the request).
    /// </summary>
    public static readonly Metered ShowingRefusal = new(true);

    private Metered(bool showsRefusal) => ShowsRefusal = showsRefusal;

    /// <summary>Whether the endpoint, not admission, writes the body of a refusal.</summary>
    public bool ShowsRefusal { get; }
}
