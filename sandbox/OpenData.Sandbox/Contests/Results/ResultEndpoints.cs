using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;
using OpenData.Sandbox.Promotion;

namespace OpenData.Sandbox.Contests;

/// <summary>Standings, results, the leaderboard, the showcase and taking a winning app live: <c>/v1/contests/{id}/…</c>.</summary>
internal static class ResultEndpoints
{
    public static RouteGroupBuilder MapResultRoutes(this RouteGroupBuilder group)
    {
        group.MapGet("/contests/{id}/standings", Standings).WithName("GetContestStandings").RequireAuthorization(Scopes.PlatformAdmin).LiveOnly("publishing a contest's results")
            .Refuses(ContestErrors.NotFound)
            .WithSummary("The standings (the organiser), before and after publication: rank, team, entry code, score, judges counted, each judge's total.")
            .WithDescription("A judge's total is the weighted mean of the criteria on 0–100: Σ(weight × score / max) / Σ weight × 100. An entry's score is "
                + "the mean of its judges' totals; with five judges or more the highest and the lowest total are dropped first (`trimmed`). Figures are "
                + "rounded to two decimals; equal scores share a rank (1, 1, 3); an entry no judge scored has no rank. A scorecard counts while its judge "
                + "is on the panel and may see the entry.");
        group.MapPost("/contests/{id}/results", Publish).WithName("PublishContestResults").RequireAuthorization(Scopes.PlatformAdmin).LiveOnly("publishing a contest's results")
            .Refuses(CommonErrors.Validation, ContestErrors.NotFound, ContestErrors.ResultsPublished, ContestErrors.Conflict, JudgingErrors.JudgingNotOpen)
            .WithSummary("Publish the results (the organiser), once: `{awards?: [{teamId, award}]}` — absent, first to third prize go to ranks 1 to 3.")
            .WithDescription("The standings are frozen with the awards, the contest's phase becomes `results` (scoring and judges stop), the leaderboard "
                + "and showcase become public, and each team's tenant gets `contest.results_published` with its rank, score and award. Again: 409 "
                + "`contest.results_final`.");
        group.MapGet("/contests/{id}/leaderboard", Leaderboard).WithName("GetContestLeaderboard").AllowAnonymous()
            .Refuses(ContestErrors.NotFound, ResultErrors.NotPublished)
            .WithSummary("The leaderboard, once the results are published (anyone): rank, team name, score, award, the app's title and demo URL.");
        group.MapGet("/contests/{id}/showcase", Showcase).WithName("GetContestShowcase").AllowAnonymous()
            .Refuses(ContestErrors.NotFound, ResultErrors.NotPublished)
            .WithSummary("The winners' showcase, once the results are published (anyone): each winning app, the datasets it uses, and whether it landed.")
            .WithDescription("`landing` follows each winner after the contest: whether the team took its app live (`POST …/teams/{teamId}/promote`), the "
                + "live app's metered requests in the last seven days and in each of the last four weeks, and the status of its access requests and grants.");
        group.MapPost("/contests/{id}/teams/{teamId}/promote", Promote).WithName("PromoteContestWinner").RequireAuthorization(Scopes.TenantAdmin)
            .LiveOnly("taking a contest app live")
            .Refuses(CommonErrors.Validation, ContestErrors.NotFound, ResultErrors.NotPublished, TeamErrors.NotFound, ResultErrors.NoAward, TeamErrors.NotApproved,
                TenancyErrors.AppNotFound, PromotionErrors.NotSandboxApp, PromotionErrors.AlreadyPromoted)
            .WithSummary("Take a winning team's app live (the team's tenant): a live app (credentials shown once) and draft access requests flagged as a contest winner's.")
            .WithDescription("Only a team with an award, after publication. The team's sandbox app is promoted (as `POST /v1/apps/{id}/promote`): a live app "
                + "and, for each restricted dataset it read, a draft request for exactly the columns it read, whose purpose and history name the contest "
                + "and the award for the dataset's owner. The team completes and submits the drafts; the showcase then follows the live app.");
        return group;
    }

    internal static async Task<Results<Ok<StandingList>, ProblemHttpResult>> Standings(string id, ClaimsPrincipal user, ResultService results, CancellationToken cancellationToken) =>
        TeamEndpoints.Answer(await results.StandingsAsync(user, id, cancellationToken));

    internal static async Task<Results<Created<Leaderboard>, ProblemHttpResult>> Publish(
        string id, NewResults? body, ClaimsPrincipal user, ResultService results, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await results.PublishAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/contests/{id}/leaderboard", outcome.Value);
    }

    internal static async Task<Results<Ok<Leaderboard>, ProblemHttpResult>> Leaderboard(string id, ResultService results, CancellationToken cancellationToken) =>
        TeamEndpoints.Answer(await results.LeaderboardAsync(id, cancellationToken));

    internal static async Task<Results<Ok<Showcase>, ProblemHttpResult>> Showcase(string id, ResultService results, CancellationToken cancellationToken) =>
        TeamEndpoints.Answer(await results.ShowcaseAsync(id, cancellationToken));

    internal static async Task<Results<Created<WinnerPromotion>, ProblemHttpResult>> Promote(
        string id, string teamId, ClaimsPrincipal user, ResultService results, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await results.PromoteAsync(user, id, teamId, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/apps/{outcome.Value!.App.Id}", outcome.Value);
    }
}
