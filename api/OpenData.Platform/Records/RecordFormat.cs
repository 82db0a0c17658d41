namespace OpenData.Platform.Records;

/// <summary>How rows are serialised.</summary>
public enum RecordFormat
{
    Json,
    Csv,
    Ndjson,
}
