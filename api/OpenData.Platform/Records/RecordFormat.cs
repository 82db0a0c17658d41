namespace OpenData.Platform.Records;

/// <summary>How rows are serialised.</summary>
internal enum RecordFormat
{
    Json,
    Csv,
    Ndjson,
}
