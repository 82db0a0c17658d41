namespace OpenData.Platform.Ingestion;

/// <summary>Where an ingestion job is.</summary>
public enum IngestionStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}
