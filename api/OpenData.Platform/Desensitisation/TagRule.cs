using OpenData.Platform.Datasets;

namespace OpenData.Platform.Desensitisation;

/// <summary>One tag of <c>desensitisation.yaml</c>: the column types it fits, its transform at each access level, and whether it is a quasi-identifier.</summary>
internal sealed record TagRule(string Tag, string Description, IReadOnlySet<ColumnType> Types, TransformSpec Open, TransformSpec Granted, TransformSpec Sandbox)
{
    /// <summary>
    /// Not a name or number that identifies on its own, but a trait (district, birth year, gender…) that singles a person out in
    /// combination with others; the re-identification risk of a view is the k-anonymity of the quasi-identifiers it shows.
    /// </summary>
    public bool QuasiIdentifier { get; init; }

    /// <summary>
    /// The outbound check reads the column's text and numbers even where a level shows them in clear (<c>public</c>: the
    /// owner's word that a column is not personal makes it clear and filterable, but the check still masks what it finds).
    /// </summary>
    public bool OutboundCheck { get; init; }

    public TransformSpec For(AccessLevel level) => level switch
    {
        AccessLevel.Open => Open,
        AccessLevel.Granted => Granted,
        _ => Sandbox,
    };
}
