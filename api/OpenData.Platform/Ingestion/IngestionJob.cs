namespace OpenData.Platform.Ingestion;

/// <summary>The state of an upload: <c>GET /v1/ingestions/{jobId}</c>.</summary>
internal sealed record IngestionJob(
    string Id,
    string DatasetId,
    IngestionStatus Status,
    string Charset,
    double Progress,
    long BytesTotal,
    long BytesRead,
    long RowsRead,
    long RowsRejected,
    IReadOnlyList<RowError> Errors,
    string? Message,
    int? Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);
