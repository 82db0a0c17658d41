using System.Globalization;
using System.Security.Claims;
using OpenData.Platform.Audit;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// Judging. The organiser names judges — people of any tenant, found by the e-mail they sign in with — and may limit the teams
/// each sees. A judge never sees an entry they have a conflict of interest with (a team of their own tenant, or one they are a
/// member of), whatever the assignment. Review is blind: a judge knows an entry by its random code and reads what was submitted,
/// never the team's name, id, members or tenant — in answers, errors and the PDF's file name alike. From the submission deadline
/// until the results are published each judge scores every criterion of the rubric with a comment; scoring again replaces
/// their scorecard. Every action is audited; a judge's entries in the trail name the entry by its code (the judge's tenant may
/// read them), never the team.
/// </summary>
internal sealed class JudgingService(
    ContestStore contests, JudgingStore judging, ContestEntries entries, SubmissionService submissions, TenancyStore tenancy, TimeProvider clock)
{
    public const int MaxComment = 5000;

    public async Task<Outcome<(Judge Judge, bool Created)>> AddJudgeAsync(ClaimsPrincipal user, string contestId, NewJudge? body, CancellationToken cancellationToken)
    {
        if (Organiser(user) is { } refused)
        {
            return refused;
        }
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        if (contest.ResultsPublishedAt is not null)
        {
            return Final(contest);
        }
        var email = body?.Email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(email))
        {
            return Refusal.BadRequest(CommonErrors.Validation, "name the judge by the e-mail they sign in with: {\"email\": \"…\", \"teams\": [teamId, …] (optional)}");
        }
        var member = await tenancy.MemberAsync(null, email, cancellationToken);
        if (member is null)
        {
            return Refusal.NotFound(JudgingErrors.PersonNotFound,
                $"no member of any tenant signs in as {email}: a judge needs an account (the operator adds members with POST /v1/tenants/{{id}}/members)");
        }
        var (teams, members) = await entries.ApprovedTeamsAsync(contestId, cancellationToken);
        List<string>? assigned = null;
        if (body!.Teams is not null)
        {
            assigned = body.Teams.Select(t => t?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
            var all = await AllTeamIdsAsync(contestId, cancellationToken);
            var unknown = assigned.Where(t => !all.Contains(t)).ToList();
            if (unknown.Count > 0)
            {
                return Refusal.Validation(new Dictionary<string, string[]>
                {
                    ["teams"] = [$"teams are ids of this contest's teams (GET /v1/contests/{contestId}/teams); not {string.Join(", ", unknown)}"],
                });
            }
        }
        var before = await judging.JudgeAsync(contestId, member.Id, cancellationToken);
        var row = new JudgeRow
        {
            ContestId = contestId,
            MemberId = member.Id,
            TenantId = member.TenantId,
            Email = member.Email,
            Teams = assigned is null ? null : ContestRow.ToJson(assigned),
            AddedBy = user.Actor(),
            AddedAt = before?.AddedAt ?? clock.GetUtcNow(),
        };
        AuditEvent Entry(string type) => new(type, user.TenantId(), user.Actor(), null, null, contestId, AuditDetails.Of(
            ("contest", contestId), ("judge", member.Id), ("email", member.Email), ("judgeTenant", member.TenantId),
            ("teamsBefore", before?.TeamList), ("teams", assigned)));
        var created = await judging.SaveJudgeAsync(row, Entry("contest.judge_added"), Entry("contest.judge_changed"), cancellationToken);
        var saved = await judging.JudgeAsync(contestId, member.Id, cancellationToken) ?? row;
        var scored = (await judging.ScoresOfAsync(contestId, member.Id, cancellationToken)).Count;
        return (ToJudge(saved, member.Name, teams, members, scored), created);
    }

    public async Task<Outcome<JudgeList>> ListJudgesAsync(ClaimsPrincipal user, string contestId, CancellationToken cancellationToken)
    {
        if (Organiser(user) is { } refused)
        {
            return refused;
        }
        if (await contests.FindAsync(contestId, cancellationToken) is null)
        {
            return ContestService.NotFound(contestId);
        }
        var (teams, members) = await entries.ApprovedTeamsAsync(contestId, cancellationToken);
        var scored = (await judging.ScoresAsync(contestId, cancellationToken)).GroupBy(s => s.MemberId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var items = new List<Judge>();
        foreach (var judge in await judging.JudgesAsync(contestId, cancellationToken))
        {
            var name = (await tenancy.MemberAsync(judge.MemberId, null, cancellationToken))?.Name ?? "";
            items.Add(ToJudge(judge, name, teams, members, scored.GetValueOrDefault(judge.MemberId)));
        }
        return new JudgeList(items);
    }

    public async Task<Outcome<bool>> RemoveJudgeAsync(ClaimsPrincipal user, string contestId, string judgeId, CancellationToken cancellationToken)
    {
        if (Organiser(user) is { } refused)
        {
            return refused;
        }
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        if (contest.ResultsPublishedAt is not null)
        {
            return Final(contest);
        }
        var removed = await judging.RemoveJudgeAsync(contestId, judgeId, scores => new AuditEvent("contest.judge_removed", user.TenantId(), user.Actor(), null, null, contestId,
            AuditDetails.Of(("contest", contestId), ("judge", judgeId), ("scorecardsDropped", scores))), cancellationToken);
        return removed is null
            ? Refusal.NotFound(JudgingErrors.JudgeNotFound, $"contest '{contestId}' has no judge '{judgeId}': GET /v1/contests/{contestId}/judges lists them")
            : true;
    }

    /// <summary>The ids of the contests the calling person judges (none for an app's token or a visitor): the portal's console lists them.</summary>
    public async Task<IReadOnlyList<string>> JudgedByAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ContestPerson.MemberIdOf(user) is { } memberId ? await judging.ContestsOfAsync(memberId, cancellationToken) : [];

    /// <summary>The entries the calling judge may score, blind, with their own scorecards.</summary>
    public async Task<Outcome<JudgeEntryList>> EntriesAsync(ClaimsPrincipal user, string contestId, CancellationToken cancellationToken)
    {
        var seat = await SeatAsync(user, contestId, cancellationToken);
        if (seat.Refusal is { } refusal)
        {
            return refusal;
        }
        var (contest, judge) = seat.Value;
        if (NotYet(contest) is { } early)
        {
            return early;
        }
        var visible = await VisibleAsync(user, contest, judge, cancellationToken);
        var mine = (await judging.ScoresOfAsync(contestId, judge.MemberId, cancellationToken)).ToDictionary(s => s.TeamId, StringComparer.Ordinal);
        var rubric = contest.RubricList;
        return new JudgeEntryList(contestId, rubric, visible.Select(e => ToEntry(contest, e, mine.GetValueOrDefault(e.Team.Id))).ToList());
    }

    /// <summary>An entry's PDF for a judge who may see it, under the blind name <c>entry-{code}.pdf</c>.</summary>
    public async Task<Outcome<AttachmentContent>> AttachmentAsync(ClaimsPrincipal user, string contestId, string code, CancellationToken cancellationToken)
    {
        var seat = await SeatAsync(user, contestId, cancellationToken);
        if (seat.Refusal is { } refusal)
        {
            return refusal;
        }
        var (contest, judge) = seat.Value;
        if (NotYet(contest) is { } early)
        {
            return early;
        }
        var entry = (await VisibleAsync(user, contest, judge, cancellationToken)).FirstOrDefault(e => e.Team.EntryCode == code);
        if (entry is null)
        {
            return EntryNotFound(contestId, code);
        }
        if (entry.Attachment is null)
        {
            return Refusal.NotFound(SubmissionErrors.AttachmentNotFound, $"entry '{code}' of contest '{contestId}' has no PDF");
        }
        return await submissions.ContentAsync(entry.Attachment, BlindFileName(code), cancellationToken);
    }

    /// <summary>The calling judge scores an entry (every criterion, with a comment), replacing their scorecard for it if any.</summary>
    public async Task<Outcome<(Scorecard Scorecard, bool Created)>> ScoreAsync(ClaimsPrincipal user, string contestId, NewScore? body, CancellationToken cancellationToken)
    {
        var seat = await SeatAsync(user, contestId, cancellationToken);
        if (seat.Refusal is { } refusal)
        {
            return refusal;
        }
        var (contest, judge) = seat.Value;
        if (contest.ResultsPublishedAt is not null)
        {
            return Final(contest);
        }
        if (NotYet(contest) is { } early)
        {
            return early;
        }
        var code = body?.Entry?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            return Refusal.BadRequest(CommonErrors.Validation, "send the scorecard as JSON: {entry, scores: [{criterion, score}, …] (every criterion of the rubric), comment}");
        }
        var entry = (await VisibleAsync(user, contest, judge, cancellationToken)).FirstOrDefault(e => e.Team.EntryCode == code);
        if (entry is null)
        {
            return EntryNotFound(contestId, code);
        }
        var rubric = contest.RubricList;
        var errors = new InputErrors();
        var scores = CheckScores(rubric, body!.Scores, errors);
        var comment = body.Comment?.Trim();
        if (string.IsNullOrEmpty(comment) || comment.Length > MaxComment)
        {
            errors.Add("comment", $"a comment is required with every scorecard: 1 to {MaxComment:N0} characters saying why");
        }
        if (errors.Count > 0)
        {
            return errors.ToRefusal();
        }
        var row = new ScoreRow
        {
            ContestId = contestId,
            TeamId = entry.Team.Id,
            MemberId = judge.MemberId,
            Scores = ScoreRow.ToJson(scores),
            Comment = comment!,
            ScoredAt = clock.GetUtcNow(),
        };
        var after = ToScorecard(rubric, code, row);
        var before = await judging.SaveScoreAsync(row, previous => new AuditEvent("contest.scored", user.TenantId(), user.Actor(), null, null, code,
            AuditDetails.Of(("contest", contestId), ("entry", code), ("judge", judge.MemberId),
                ("before", previous is null ? null : Card(ToScorecard(rubric, code, previous))), ("after", Card(after)))), cancellationToken);
        return (after, before is null);
    }

    /// <summary>The name an entry's PDF is downloaded under by judges.</summary>
    public static string BlindFileName(string code) => $"entry-{code}.pdf";

    internal static Scorecard ToScorecard(IReadOnlyList<RubricCriterion> rubric, string code, ScoreRow row)
    {
        var scores = row.ScoreList;
        return new Scorecard(code, scores, row.Comment, Aggregation.JudgeTotal(rubric, scores), row.ScoredAt);
    }

    /// <summary>The organiser's actions refuse anyone else (their routes ask for platform:admin; so does every other caller of these methods).</summary>
    internal static Refusal? Organiser(ClaimsPrincipal user) => user.HasScope(Scopes.PlatformAdmin)
        ? null
        : Refusal.Forbidden(CommonErrors.InsufficientScope, "this is the organiser's: it needs the platform:admin scope");

    internal static Refusal Final(ContestRow contest) =>
        Refusal.Conflict(ContestErrors.ResultsPublished, $"contest '{contest.Id}' published its results on {contest.ResultsPublishedAt:u}: judging is over");

    /// <summary>The contest and the caller's seat on its panel, or why the caller is no judge of it.</summary>
    private async Task<Outcome<(ContestRow Contest, JudgeRow Judge)>> SeatAsync(ClaimsPrincipal user, string contestId, CancellationToken cancellationToken)
    {
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        if (ContestPerson.MemberIdOf(user) is not { } memberId)
        {
            return Refusal.Forbidden(JudgingErrors.NotAJudge,
                "judges are people: sign in to the portal, or use a token an app obtained for you with your consent (authorisation code); an app's own token judges nothing");
        }
        var judge = await judging.JudgeAsync(contestId, memberId, cancellationToken);
        if (judge is null)
        {
            return Refusal.Forbidden(JudgingErrors.NotAJudge, $"you are not a judge of contest '{contestId}': the organiser names the judges");
        }
        return (contest, judge);
    }

    private Refusal? NotYet(ContestRow contest) =>
        contest.ResultsPublishedAt is null && clock.GetUtcNow() < contest.SubmissionEndsAt
            ? Refusal.Conflict(JudgingErrors.JudgingNotOpen,
                $"judging of contest '{contest.Id}' opens at {contest.SubmissionEndsAt:u}, when submissions close; entries may change until then")
            : null;

    /// <summary>The entries the judge may see: assigned to them (or all), and none they have a conflict with — by their tenant then and now.</summary>
    private async Task<List<ContestEntry>> VisibleAsync(ClaimsPrincipal user, ContestRow contest, JudgeRow judge, CancellationToken cancellationToken) =>
        (await entries.ListAsync(contest.Id, cancellationToken))
            .Where(e => judge.MaySee(e.Team, e.Members) && !string.Equals(e.Team.TenantId, user.TenantId(), StringComparison.Ordinal))
            .ToList();

    private async Task<HashSet<string>> AllTeamIdsAsync(string contestId, CancellationToken cancellationToken) =>
        (await entries.AllTeamsAsync(contestId, cancellationToken)).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);

    private static Refusal EntryNotFound(string contestId, string code) =>
        Refusal.NotFound(JudgingErrors.EntryNotFound, $"contest '{contestId}' has no entry '{code}' for you to judge: GET /v1/contests/{contestId}/entries lists yours");

    private static List<CriterionScore> CheckScores(IReadOnlyList<RubricCriterion> rubric, IReadOnlyList<ScoreInput>? given, InputErrors errors)
    {
        var scores = new List<CriterionScore>();
        var byName = new Dictionary<string, ScoreInput>(StringComparer.OrdinalIgnoreCase);
        foreach (var input in given ?? [])
        {
            var name = input?.Criterion?.Trim() ?? "";
            if (!rubric.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add("scores", $"'{name}' is not a criterion of the rubric ({string.Join(", ", rubric.Select(c => c.Name))})");
            }
            else if (!byName.TryAdd(name, input!))
            {
                errors.Add("scores", $"'{name}' is scored twice: once each");
            }
        }
        foreach (var criterion in rubric)
        {
            if (!byName.TryGetValue(criterion.Name, out var input))
            {
                errors.Add("scores", $"score '{criterion.Name}' too: every criterion of the rubric is scored");
            }
            else if (input.Score is not { } score || !double.IsFinite(score) || score < 0 || score > criterion.Max)
            {
                errors.Add("scores", string.Create(CultureInfo.InvariantCulture,
                    $"'{criterion.Name}' is scored from 0 to {criterion.Max}{(input.Score is { } s ? $"; not {s}" : "")}"));
            }
            else
            {
                scores.Add(new CriterionScore(criterion.Name, score));
            }
        }
        return scores;
    }

    private static Dictionary<string, object?> Card(Scorecard card) => AuditDetails.Of(
        ("scores", card.Scores.Select(s => AuditDetails.Of(("criterion", s.Criterion), ("score", s.Score))).ToList()), ("total", card.Total), ("comment", card.Comment));

    private static JudgeEntry ToEntry(ContestRow contest, ContestEntry entry, ScoreRow? mine)
    {
        var code = entry.Team.EntryCode;
        var submission = entry.Submission;
        var attachment = entry.Attachment is { } a
            ? new EntryAttachment(BlindFileName(code), a.Size, $"/v1/contests/{contest.Id}/entries/{code}/attachment")
            : null;
        return new JudgeEntry(code, submission.Version, submission.Title, submission.Description, submission.DemoUrl, submission.RepositoryUrl,
            submission.DatasetList, attachment, submission.SubmittedAt, mine is null ? null : ToScorecard(contest.RubricList, code, mine));
    }

    private static Judge ToJudge(JudgeRow judge, string name, IReadOnlyList<TeamRow> teams, ILookup<string, string> members, int scored)
    {
        var assigned = judge.TeamList;
        var considered = teams.Where(t => assigned is null || assigned.Contains(t.Id, StringComparer.Ordinal)).ToList();
        return new Judge(judge.MemberId, judge.Email, name, judge.TenantId, assigned,
            considered.Where(t => judge.MaySee(t, members[t.Id])).Select(t => t.Id).ToList(),
            considered.Where(t => judge.ConflictsWith(t, members[t.Id])).Select(t => t.Id).ToList(),
            scored, judge.AddedAt);
    }
}
