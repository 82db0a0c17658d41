namespace OpenData.Platform.Contests;

/// <summary>A contest on the sandbox's synthetic data (the sandbox issue fills this in; until then there are none).</summary>
internal sealed record Contest(string Id, string Title, string Description, DateTimeOffset OpensAt, DateTimeOffset ClosesAt);
