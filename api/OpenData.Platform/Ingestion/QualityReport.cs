namespace OpenData.Platform.Ingestion;

/// <summary>
/// The data-quality report of a load: rows loaded (0 when the load failed), rows checked (the rows that passed every check,
/// whose columns are profiled below), and per column what the rows hold. Distinct values are counted exactly up to
/// <c>distinctCap</c>; beyond it a column says <c>distinctExact: false</c> and its count means "at least the cap".
/// </summary>
internal sealed record QualityReport(long RowsLoaded, long RowsChecked, int DistinctCap, IReadOnlyList<ColumnQuality> Columns);

/// <summary>
/// One column of a <see cref="QualityReport"/>: empty cells and their share, distinct values (exact, or at least the cap),
/// the smallest and largest value of numbers, dates and booleans (invariant text) or the shortest and longest text (in
/// characters), the column's tag and the tags the profiler suggests for it (PII kinds found in its values). <c>indexed</c>: the
/// column was declared indexed; <c>suggestIndex</c>: it is not, but looks like a code column filters would pick rows by (see
/// <see cref="QualityProfiler.SuggestsIndex"/>), so an index on it would make such filters cheap.
/// </summary>
internal sealed record ColumnQuality(
    string Name,
    string Type,
    long Empty,
    double EmptyShare,
    long Distinct,
    bool DistinctExact,
    string? Min,
    string? Max,
    int? ShortestLength,
    int? LongestLength,
    string? Tag,
    IReadOnlyList<string> Suggested,
    bool Indexed = false,
    bool SuggestIndex = false);
