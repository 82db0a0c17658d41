namespace OpenData.Platform.Records;

/// <summary>A request for rows, as REST's query string or GraphQL's arguments give it (texts still unparsed).</summary>
public sealed record RecordRequest(string? Select = null, string? Where = null, string? OrderBy = null, int? Limit = null, string? Cursor = null);
