using System.Text.Json.Serialization;

namespace OpenData.Platform.Ingestion;

/// <summary>
/// The state of an upload: <c>GET /v1/ingestions/{jobId}</c>. <c>quality</c> is the data-quality report once the job has
/// finished (per column: empty share, distinct values, min/max, PII kinds suggested), absent before.
/// </summary>
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
    DateTimeOffset? FinishedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QualityReport? Quality = null);
