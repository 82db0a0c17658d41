using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Common;

namespace OpenData.Platform.Records;

/// <summary>The query string of <c>GET /v1/datasets/{id}/records</c>.</summary>
internal sealed record RecordsQueryString(
    string? Select,
    string? Where,
    [property: FromQuery(Name = "order_by")] string? OrderBy,
    int? Limit,
    string? Cursor,
    string? Format,
    [property: FromQuery(Name = CsvCell.RawParameter)] bool? CsvRaw);
