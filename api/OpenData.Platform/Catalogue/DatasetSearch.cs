namespace OpenData.Platform.Catalogue;

/// <summary>The query string of <c>GET /v1/datasets</c>.</summary>
internal sealed record DatasetSearch(string? Q, string? Theme, string? Owner, string? Classification, int? Limit, string? Cursor);
