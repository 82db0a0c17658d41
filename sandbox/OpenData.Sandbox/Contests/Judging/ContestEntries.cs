namespace OpenData.Sandbox.Contests;

/// <summary>A team's entry: the approved team, its members' e-mails, its latest submission (the one judged) and that version's PDF.</summary>
internal sealed record ContestEntry(TeamRow Team, IReadOnlyList<string> Members, SubmissionRow Submission, AttachmentRow? Attachment);

/// <summary>
/// The entries of a contest as judging and results read them: one per approved team that submitted, its highest version, in
/// the order of the entry codes (random, so the order says nothing about who registered first).
/// </summary>
internal sealed class ContestEntries(TeamStore teams, SubmissionStore submissions)
{
    public async Task<IReadOnlyList<ContestEntry>> ListAsync(string contestId, CancellationToken cancellationToken)
    {
        var approved = (await teams.ListAsync(contestId, null, cancellationToken)).Where(t => t.Status == TeamService.Approved).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var members = await teams.MembersAsync(contestId, cancellationToken);
        var latest = (await submissions.ListAsync(contestId, null, cancellationToken))
            .Where(s => approved.ContainsKey(s.TeamId))
            .GroupBy(s => s.TeamId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(s => s.Version)!)
            .ToList();
        var attachments = latest.Any(s => s.AttachmentId is not null)
            ? await submissions.AttachmentsAsync(contestId, cancellationToken)
            : new Dictionary<string, AttachmentRow>();
        return latest
            .Select(s => new ContestEntry(approved[s.TeamId], members[s.TeamId].ToList(), s, s.AttachmentId is { } a ? attachments.GetValueOrDefault(a) : null))
            .OrderBy(e => e.Team.EntryCode, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every team of a contest, whatever its status.</summary>
    public Task<IReadOnlyList<TeamRow>> AllTeamsAsync(string contestId, CancellationToken cancellationToken) => teams.ListAsync(contestId, null, cancellationToken);

    /// <summary>The approved teams of a contest with their members (whether or not they submitted), for the organiser's view of judges.</summary>
    public async Task<(IReadOnlyList<TeamRow> Teams, ILookup<string, string> Members)> ApprovedTeamsAsync(string contestId, CancellationToken cancellationToken)
    {
        var approved = (await teams.ListAsync(contestId, null, cancellationToken)).Where(t => t.Status == TeamService.Approved).ToList();
        return (approved, await teams.MembersAsync(contestId, cancellationToken));
    }
}
