namespace OpenData.Platform.Ingestion;

/// <summary>How a load ended: published version, or why not, with the first row errors.</summary>
internal sealed record LoadResult(bool Succeeded, int? Version, long RowsRead, long RowsRejected, IReadOnlyList<RowError> Errors, string? Message);
