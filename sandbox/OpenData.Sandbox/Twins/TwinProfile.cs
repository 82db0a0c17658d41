namespace OpenData.Sandbox.Twins;

/// <summary>
/// Everything the generator and the assessor know of a version's real rows: per column its statistics (<see cref="ColumnProfile"/>),
/// the associations of pairs of categorical columns, hashes of whole rows, and a small sample of rows for the distance check. It lives
/// in memory only, while a twin is made; none of it is stored.
/// </summary>
internal sealed class TwinProfile
{
    internal TwinProfile(TwinSettings settings, ColumnProfile[] columns, long rows, HashSet64 rowHashes, long repeatedRows,
        ulong[][] reference, ulong[][] holdout, IReadOnlyList<TwinAssociation> associations)
    {
        Settings = settings;
        Columns = columns;
        Rows = rows;
        RowHashes = rowHashes;
        RepeatedRows = repeatedRows;
        Reference = reference;
        Holdout = holdout;
        Associations = associations;
    }

    /// <summary>How many real rows were profiled.</summary>
    public long Rows { get; }

    public TwinSettings Settings { get; }

    public IReadOnlyList<ColumnProfile> Columns { get; }

    /// <summary>Hashes of every real row (all columns): a twin row with one of these is a copy.</summary>
    public HashSet64 RowHashes { get; }

    /// <summary>Real rows equal (all columns) to at least one other real row.</summary>
    public long RepeatedRows { get; }

    /// <summary>Real rows (as cell keys) the distance check measures twin rows against, and real rows held out to measure the same way.</summary>
    public ulong[][] Reference { get; }

    public ulong[][] Holdout { get; }

    public IReadOnlyList<TwinAssociation> Associations { get; }
}
