using System.Text.Json;

namespace OpenData.Sandbox.Contests;

/// <summary>A row of <c>contest_judges</c>: a person named judge, with the teams they were assigned (null: all).</summary>
internal sealed class JudgeRow
{
    public string ContestId { get; set; } = "";
    public string MemberId { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Email { get; set; } = "";
    public string? Teams { get; set; }
    public string? AddedBy { get; set; }
    public DateTimeOffset AddedAt { get; set; }

    public IReadOnlyList<string>? TeamList => Teams is null ? null : JsonSerializer.Deserialize<List<string>>(Teams) ?? [];

    /// <summary>
    /// Whether the judge has a conflict of interest with <paramref name="team"/>: it is a team of the judge's tenant, or the judge
    /// is one of its members. Such an entry is never theirs to see, whatever the assignment.
    /// </summary>
    public bool ConflictsWith(TeamRow team, IEnumerable<string> teamMembers) =>
        string.Equals(team.TenantId, TenantId, StringComparison.Ordinal) || teamMembers.Contains(Email, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the judge sees <paramref name="team"/>'s entry: assigned to it (or to every entry), and no conflict.</summary>
    public bool MaySee(TeamRow team, IEnumerable<string> teamMembers) =>
        (TeamList is not { } assigned || assigned.Contains(team.Id, StringComparer.Ordinal)) && !ConflictsWith(team, teamMembers);
}
