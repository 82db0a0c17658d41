namespace OpenData.Platform.Ingestion;

/// <summary>How a load ended: published version, or why not, with the first row errors and the data-quality report of the rows read.</summary>
internal sealed record LoadResult(bool Succeeded, int? Version, long RowsRead, long RowsRejected, IReadOnlyList<RowError> Errors, string? Message,
    QualityReport? Quality = null);
