namespace OpenData.Sandbox.Contests;

/// <summary>A row of <c>contest_teams</c>.</summary>
internal sealed class TeamRow
{
    public string Id { get; set; } = "";
    public string ContestId { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Name { get; set; } = "";
    public string NameKey { get; set; } = "";
    public string? Track { get; set; }
    public string Status { get; set; } = "";
    public int TermsVersion { get; set; }
    public string? TermsAcceptedBy { get; set; }
    public DateTimeOffset TermsAcceptedAt { get; set; }
    public string? RegisteredBy { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionReason { get; set; }
    public string? AppId { get; set; }
    public string? LiveAppId { get; set; }

    /// <summary>The code judges know the team's entry by: random, stable for the contest, never shown to the team.</summary>
    public string EntryCode { get; set; } = "";

    public int Version { get; set; }

    public TeamRow Clone() => (TeamRow)MemberwiseClone();

    /// <summary>Whether <see cref="AppId"/> names a real app (not the claim of one being made).</summary>
    public bool HasApp => AppId is { Length: > 0 } id && !id.StartsWith(TeamStore.MakingApp, StringComparison.Ordinal);

    public Team ToTeam(IReadOnlyList<string> members, string? clientId) => new(
        Id, ContestId, TenantId, Name, Track, Status, members, TermsVersion, TermsAcceptedAt, RegisteredAt, DecidedAt, DecisionReason,
        HasApp ? AppId : null, clientId, LiveAppId);
}
