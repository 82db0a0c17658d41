namespace OpenData.Platform.Ingestion;

/// <summary>A row of the <c>ingestion_jobs</c> table.</summary>
internal sealed class JobRow
{
    public string Id { get; set; } = "";
    public long DatasetKey { get; set; }
    public string DatasetId { get; set; } = "";
    public string OwnerId { get; set; } = "";
    public string Status { get; set; } = "";
    public string Charset { get; set; } = "";
    public string? SpoolPath { get; set; }
    public long BytesTotal { get; set; }
    public long BytesRead { get; set; }
    public long RowsRead { get; set; }
    public long RowsRejected { get; set; }
    public string Errors { get; set; } = "[]";
    public string? Message { get; set; }
    public string? Quality { get; set; }
    public int? Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public bool StagedInStore { get; set; }
}
