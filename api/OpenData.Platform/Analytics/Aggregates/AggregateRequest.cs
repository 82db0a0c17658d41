namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>An aggregate as asked: comma-separated <c>group_by</c> columns and <c>measures</c> (count when left out), and a <c>where</c> in the records query language.</summary>
internal sealed record AggregateRequest(string? GroupBy, string? Measures, string? Where);
