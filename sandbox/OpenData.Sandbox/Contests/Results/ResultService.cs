using System.Globalization;
using System.Security.Claims;
using OpenData.Platform.Access;
using OpenData.Platform.Audit;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Quotas;
using OpenData.Platform.Tenancy;
using OpenData.Platform.Webhooks;
using OpenData.Sandbox.Promotion;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// Standings, results and what follows them. The organiser sees the standings while judges score (<see cref="Aggregation"/>) and
/// publishes them once: the standings are frozen with the awards, the contest enters its <c>results</c> phase and each team's
/// tenant is told (<c>contest.results_published</c>), all in one transaction. Then the leaderboard and the showcase are public;
/// a winning team takes its app live (the sandbox's promotion, its drafts flagged to the owners as a contest winner's), and the
/// showcase follows each winner's landing: live or not, its requests per week, the status of its access requests and grants.
/// </summary>
internal sealed class ResultService(
    ContestStore contests, TeamStore teams, ContestEntries entries, JudgingStore judging, ResultStore results, PromotionService promotion,
    DatasetDirectory directory, DatasetUsage usage, QuotaDay day, AccessService access, TenancyStore tenancy, AuditLog audit, TimeProvider clock)
{
    /// <summary>The awards given by default: to the entries ranked 1, 2 and 3.</summary>
    public static readonly IReadOnlyList<string> DefaultAwards = ["first prize", "second prize", "third prize"];

    public const int MaxAward = 100;

    /// <summary>Weeks of usage the showcase shows for each winner's live app.</summary>
    public const int LandingWeeks = 4;

    public async Task<Outcome<StandingList>> StandingsAsync(ClaimsPrincipal user, string contestId, CancellationToken cancellationToken)
    {
        if (JudgingService.Organiser(user) is { } refused)
        {
            return refused;
        }
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        var standings = await ComputeAsync(contest, cancellationToken);
        if (contest.ResultsPublishedAt is not null)
        {
            // Published: the places and awards as frozen.
            var frozen = (await results.ListAsync(contestId, cancellationToken)).ToDictionary(r => r.TeamId, StringComparer.Ordinal);
            standings = standings.Select(s => frozen.TryGetValue(s.TeamId, out var r) ? s with { Rank = r.Rank, Score = r.Score, Judges = r.Judges, Award = r.Award } : s)
                .OrderBy(s => s.Rank ?? int.MaxValue).ThenBy(s => s.TeamName, StringComparer.Ordinal).ToList();
        }
        return new StandingList(contestId, contest.ResultsPublishedAt is not null, standings);
    }

    public async Task<Outcome<Leaderboard>> PublishAsync(ClaimsPrincipal user, string contestId, NewResults? body, CancellationToken cancellationToken)
    {
        if (JudgingService.Organiser(user) is { } refused)
        {
            return refused;
        }
        var found = await contests.FindAsync(contestId, cancellationToken);
        if (found is null)
        {
            return ContestService.NotFound(contestId);
        }
        if (found.ResultsPublishedAt is not null)
        {
            return Refusal.Conflict(ContestErrors.ResultsPublished, $"contest '{contestId}' published its results on {found.ResultsPublishedAt:u}: they are published once");
        }
        var now = clock.GetUtcNow();
        if (now < found.SubmissionEndsAt)
        {
            return Refusal.Conflict(JudgingErrors.JudgingNotOpen,
                $"contest '{contestId}' takes submissions until {found.SubmissionEndsAt:u}: its results are published after judging, which starts then");
        }
        var standings = await ComputeAsync(found, cancellationToken);
        var awards = Awards(standings, body?.Awards);
        if (awards.Refusal is { } invalid)
        {
            return invalid;
        }
        var rows = standings.Select(s => new ResultRow
        {
            ContestId = contestId, TeamId = s.TeamId, Rank = s.Rank, Score = s.Score, Judges = s.Judges, Award = awards.Value!.GetValueOrDefault(s.TeamId),
        }).ToList();
        var byTeam = rows.ToDictionary(r => r.TeamId, StringComparer.Ordinal);
        var (approved, _) = await entries.ApprovedTeamsAsync(contestId, cancellationToken);
        var notices = approved.Select(t => (Team: t, Result: byTeam.GetValueOrDefault(t.Id)))
            .Select(p => new TeamStore.Notice(p.Team.TenantId, WebhookEvents.ContestResultsPublished,
                new { contest = contestId, team = p.Team.Id, name = p.Team.Name, rank = p.Result?.Rank, score = p.Result?.Score, award = p.Result?.Award }))
            .ToList();

        var row = found.Clone();
        row.ResultsPublishedAt = now;
        row.ResultsPublishedBy = user.Actor();
        row.UpdatedAt = now;
        row.Version = found.Version + 1;
        var entry = new AuditEvent("contest.results_published", user.TenantId(), user.Actor(), null, null, contestId, AuditDetails.Of(
            ("contest", contestId),
            ("results", rows.Select(r => AuditDetails.Of(("team", r.TeamId), ("rank", r.Rank), ("score", r.Score), ("judges", r.Judges), ("award", r.Award))).ToList())));
        if (!await contests.UpdateAsync(row, found.Version, entry, cancellationToken, (connection, transaction) => results.InsertAsync(connection, transaction, rows, notices, cancellationToken)))
        {
            return (await contests.FindAsync(contestId, cancellationToken))?.ResultsPublishedAt is not null
                ? Refusal.Conflict(ContestErrors.ResultsPublished, $"contest '{contestId}' published its results a moment ago: they are published once")
                : Refusal.Conflict(ContestErrors.Conflict, $"contest '{contestId}' changed while the results were published: look at the standings again and repeat");
        }
        return await LeaderboardAsync(contestId, cancellationToken);
    }

    public async Task<Outcome<Leaderboard>> LeaderboardAsync(string contestId, CancellationToken cancellationToken)
    {
        var published = await PublishedAsync(contestId, cancellationToken);
        if (published.Refusal is { } refusal)
        {
            return refusal;
        }
        var (contest, places) = published.Value;
        return new Leaderboard(contestId, contest.Title, contest.ResultsPublishedAt!.Value, places
            .Select(p => new LeaderboardEntry(p.Result.Rank, p.Team.Name, p.Result.Score, p.Result.Judges, p.Result.Award, p.Entry?.Submission.Title ?? "", p.Entry?.Submission.DemoUrl))
            .ToList());
    }

    public async Task<Outcome<Showcase>> ShowcaseAsync(string contestId, CancellationToken cancellationToken)
    {
        var published = await PublishedAsync(contestId, cancellationToken);
        if (published.Refusal is { } refusal)
        {
            return refusal;
        }
        var (contest, places) = published.Value;
        var winners = new List<ShowcaseWinner>();
        foreach (var (result, team, entry) in places.Where(p => p.Result.Award is not null))
        {
            var submission = entry?.Submission;
            var datasets = new List<ShowcaseDataset>();
            foreach (var id in submission?.DatasetList ?? [])
            {
                datasets.Add(new ShowcaseDataset(id, (await directory.FindAsync(id, cancellationToken))?.Title));
            }
            winners.Add(new ShowcaseWinner(result.Rank, result.Award!, team.Name, submission?.Title ?? "", submission?.Description ?? "", submission?.DemoUrl,
                submission?.RepositoryUrl, datasets, await LandingAsync(team, cancellationToken)));
        }
        return new Showcase(contestId, contest.Title, contest.TitleEn, contest.ResultsPublishedAt!.Value, winners);
    }

    /// <summary>A winning team (its tenant, tenant:admin) takes its sandbox app live: a live app and drafts flagged as a contest winner's.</summary>
    public async Task<Outcome<WinnerPromotion>> PromoteAsync(ClaimsPrincipal user, string contestId, string teamId, CancellationToken cancellationToken)
    {
        var published = await PublishedAsync(contestId, cancellationToken);
        if (published.Refusal is { } refusal)
        {
            return refusal;
        }
        var (contest, places) = published.Value;
        var team = await teams.FindAsync(contestId, teamId, cancellationToken);
        if (team is null || !string.Equals(team.TenantId, user.TenantId(), StringComparison.Ordinal))
        {
            return TeamService.TeamNotFound(contestId, teamId);
        }
        var place = places.FirstOrDefault(p => p.Team.Id == team.Id);
        if (place?.Result.Award is not { } award)
        {
            return Refusal.Conflict(ResultErrors.NoAward,
                $"team '{teamId}' has no award in contest '{contestId}': only a winning team takes its app live here (any team may promote its sandbox app with POST /v1/apps/{{id}}/promote)");
        }
        if (!team.HasApp)
        {
            return Refusal.Conflict(TeamErrors.NotApproved, $"team '{teamId}' has no sandbox app to take live");
        }
        var title = place.Entry?.Submission.Title;
        var purpose = string.Create(CultureInfo.InvariantCulture,
            $"大赛获奖应用 Contest winner: {award} of “{contest.Title}” (contest {contest.Id}){(title is null ? "" : $", the app “{title}”")}");
        var promoted = await promotion.PromoteAsync(user, team.AppId!, purpose.Length > 1000 ? purpose[..1000] : purpose, cancellationToken);
        if (promoted.Refusal is { } refused)
        {
            return refused;
        }
        var live = promoted.Value!;
        await teams.SetLiveAppAsync(team.Id, live.App.Id, CancellationToken.None);
        await audit.AppendAsync(new AuditEvent("contest.winner_promoted", user.TenantId(), user.Actor(), null, null, team.Id, AuditDetails.Of(
            ("contest", contestId), ("team", team.Id), ("award", award), ("sandboxApp", live.SandboxAppId), ("liveApp", live.App.Id),
            ("drafts", live.Drafts.Select(d => d.Id).ToList()))), CancellationToken.None);
        return new WinnerPromotion(contestId, team.Id, award, live.SandboxAppId, live.App, live.Drafts);
    }

    /// <summary>The standings now: every entry with its counted scorecards, ranked (see <see cref="Aggregation"/>).</summary>
    internal async Task<List<Standing>> ComputeAsync(ContestRow contest, CancellationToken cancellationToken)
    {
        var rubric = contest.RubricList;
        var judges = (await judging.JudgesAsync(contest.Id, cancellationToken)).ToDictionary(j => j.MemberId, StringComparer.Ordinal);
        var scores = (await judging.ScoresAsync(contest.Id, cancellationToken)).ToLookup(s => s.TeamId, StringComparer.Ordinal);
        var unranked = new List<Standing>();
        foreach (var entry in await entries.ListAsync(contest.Id, cancellationToken))
        {
            // A scorecard counts while its judge is on the panel and may see the entry (a later assignment or conflict sets it aside).
            var cards = scores[entry.Team.Id].Where(s => judges.TryGetValue(s.MemberId, out var judge) && judge.MaySee(entry.Team, entry.Members)).ToList();
            var (score, trimmed) = Aggregation.EntryScore(rubric, cards.Select(c => c.ScoreList).ToList());
            var totals = cards.Select(c => new JudgeTotal(c.MemberId, judges[c.MemberId].Email, Aggregation.JudgeTotal(rubric, c.ScoreList), c.ScoredAt))
                .OrderByDescending(t => t.Total).ThenBy(t => t.Email, StringComparer.Ordinal).ToList();
            unranked.Add(new Standing(null, entry.Team.Id, entry.Team.Name, entry.Team.EntryCode, entry.Submission.Title, score, cards.Count, trimmed, totals, null));
        }
        var sorted = unranked.OrderByDescending(s => s.Score.HasValue).ThenByDescending(s => s.Score).ThenBy(s => s.TeamName, StringComparer.Ordinal).ToList();
        var ranks = Aggregation.Ranks(sorted.Select(s => s.Score).ToList());
        return sorted.Select((s, i) => s with { Rank = ranks[i] }).ToList();
    }

    /// <summary>The awards by team: the ones given, or first to third prize by rank.</summary>
    private static Outcome<Dictionary<string, string>> Awards(IReadOnlyList<Standing> standings, IReadOnlyList<AwardInput>? given)
    {
        var awards = new Dictionary<string, string>(StringComparer.Ordinal);
        if (given is null)
        {
            foreach (var standing in standings.Where(s => s.Rank is >= 1 and <= 3))
            {
                awards[standing.TeamId] = DefaultAwards[standing.Rank!.Value - 1];
            }
            return awards;
        }
        var errors = new List<string>();
        foreach (var award in given)
        {
            var teamId = award?.TeamId?.Trim() ?? "";
            var name = award?.Award?.Trim() ?? "";
            if (!standings.Any(s => s.TeamId == teamId))
            {
                errors.Add($"'{teamId}' is not a team with an entry in this contest (GET …/standings lists them)");
            }
            else if (name.Length is 0 or > MaxAward)
            {
                errors.Add($"the award of team '{teamId}' is 1 to {MaxAward} characters (for example 'first prize')");
            }
            else if (!awards.TryAdd(teamId, name))
            {
                errors.Add($"team '{teamId}' is given two awards: one each");
            }
        }
        return errors.Count > 0 ? Refusal.Validation(new Dictionary<string, string[]> { ["awards"] = [.. errors] }) : awards;
    }

    private sealed record Place(ResultRow Result, TeamRow Team, ContestEntry? Entry);

    /// <summary>A published contest and its frozen places (rank order, then team name), or why not.</summary>
    private async Task<Outcome<(ContestRow Contest, List<Place> Places)>> PublishedAsync(string contestId, CancellationToken cancellationToken)
    {
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        if (contest.ResultsPublishedAt is null)
        {
            return Refusal.Conflict(ResultErrors.NotPublished,
                $"contest '{contestId}' has not published its results yet (it is in its {ContestPhases.Of(contest, clock.GetUtcNow())} phase): the leaderboard and showcase follow publication");
        }
        var allTeams = (await entries.AllTeamsAsync(contestId, cancellationToken)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var byTeam = (await entries.ListAsync(contestId, cancellationToken)).ToDictionary(e => e.Team.Id, StringComparer.Ordinal);
        var places = (await results.ListAsync(contestId, cancellationToken))
            .Where(r => allTeams.ContainsKey(r.TeamId))
            .Select(r => new Place(r, allTeams[r.TeamId], byTeam.GetValueOrDefault(r.TeamId)))
            .OrderBy(p => p.Result.Rank ?? int.MaxValue).ThenBy(p => p.Team.Name, StringComparer.Ordinal)
            .ToList();
        return (contest, places);
    }

    /// <summary>What became of a winner's app: live or not, its requests per week, its access requests and grants.</summary>
    private async Task<Landing> LandingAsync(TeamRow team, CancellationToken cancellationToken)
    {
        var app = team.LiveAppId is { } id ? await tenancy.AppAsync(id, team.TenantId, cancellationToken) : null;
        if (app is null)
        {
            return new Landing(false, null, 0, [], []);
        }
        var today = day.Today;
        var first = today.AddDays(-(7 * LandingWeeks) + 1);
        var days = (await usage.AppDaysAsync(team.TenantId, app.ClientId, first, today, cancellationToken)).ToDictionary(d => d.Day, StringComparer.Ordinal);
        var weeks = new List<UsageWeek>();
        for (var w = LandingWeeks - 1; w >= 0; w--)
        {
            var to = today.AddDays(-7 * w);
            var from = to.AddDays(-6);
            long requests = 0, rows = 0;
            for (var d = from; d <= to; d = d.AddDays(1))
            {
                if (days.TryGetValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), out var counted))
                {
                    requests += counted.Requests;
                    rows += counted.Rows;
                }
            }
            weeks.Add(new UsageWeek(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), requests, rows));
        }
        var requestsOfApp = await access.OfAppAsync(team.TenantId, app.ClientId, cancellationToken);
        return new Landing(true, app.CreatedAt, weeks[^1].Requests, weeks,
            requestsOfApp.Select(r => new LandingAccess(r.DatasetId, r.Status, r.GrantStatus, r.GrantExpiresAt)).ToList());
    }
}
