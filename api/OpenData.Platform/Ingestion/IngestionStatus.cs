namespace OpenData.Platform.Ingestion;

/// <summary>Where an ingestion job is.</summary>
internal enum IngestionStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}
