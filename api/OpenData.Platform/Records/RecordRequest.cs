namespace OpenData.Platform.Records;

/// <summary>
/// A request for rows, as REST's query string or GraphQL's arguments give it (texts still unparsed). GraphQL names the
/// selected columns as a list (<see cref="SelectList"/>; a refusal's position is then the 1-based index in it).
/// </summary>
internal sealed record RecordRequest(string? Select = null, string? Where = null, string? OrderBy = null, int? Limit = null, string? Cursor = null)
{
    public IReadOnlyList<string>? SelectList { get; init; }
}
