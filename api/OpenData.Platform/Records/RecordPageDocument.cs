namespace OpenData.Platform.Records;

/// <summary>The JSON shape of a records page (for the OpenAPI document): rows keyed by column name, and the next cursor.</summary>
internal sealed record RecordPageDocument(IReadOnlyList<Dictionary<string, object?>> Items, string? Next);
