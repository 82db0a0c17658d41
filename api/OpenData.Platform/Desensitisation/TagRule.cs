using OpenData.Platform.Storage;

namespace OpenData.Platform.Desensitisation;

/// <summary>One tag of <c>desensitisation.yaml</c>: the column types it fits, its transform at each access level, and whether it is a quasi-identifier.</summary>
public sealed record TagRule(string Tag, string Description, IReadOnlySet<ColumnType> Types, TransformSpec Open, TransformSpec Granted, TransformSpec Sandbox)
{
    /// <summary>
    /// Not a name or number that identifies on its own, but a trait (district, birth year, gender…) that singles a person out in
    /// combination with others; the re-identification risk of a view is the k-anonymity of the quasi-identifiers it shows.
    /// </summary>
    public bool QuasiIdentifier { get; init; }

    public TransformSpec For(AccessLevel level) => level switch
    {
        AccessLevel.Open => Open,
        AccessLevel.Granted => Granted,
        _ => Sandbox,
    };
}
