using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Sandbox.Contests;

/// <summary>Contests themselves: <c>GET /v1/contests</c>, <c>GET /v1/contests/{id}</c>, and the organiser's <c>POST</c> and <c>PATCH</c>.</summary>
internal static class ContestEndpoints
{
    public static RouteGroupBuilder MapContestRoutes(this RouteGroupBuilder group)
    {
        group.MapGet("/contests", List).WithName("ListContests").AllowAnonymous()
            .WithSummary("Public contests with their phase now (operators see invite-only ones too).");
        group.MapGet("/contests/{id}", Get).WithName("GetContest").AllowAnonymous()
            .Refuses(ContestErrors.NotFound)
            .WithSummary("A contest: its rules, tracks, datasets in scope, dates, phase now, team size limit, visibility, approval and rubric.")
            .WithDescription("Phases: `upcoming` (before `startsAt`), `registration` (teams register, and may submit), `build` (registration closed, "
                + "submissions open until `submissionEndsAt`), `judging` (submissions closed), `results` (the organiser published them). An invite-only "
                + "contest is not listed but answers here: its link is the invitation.");
        group.MapPost("/contests", Create).WithName("CreateContest").RequireAuthorization(Scopes.PlatformAdmin).LiveOnly("organising a contest")
            .Refuses(CommonErrors.Validation, ContestErrors.Exists)
            .WithSummary("Create a contest (the organiser: a platform operator).")
            .WithDescription("Required: `title`, `description`, `startsAt`, `endsAt` and at least one dataset. `registrationEndsAt` defaults to "
                + "`submissionEndsAt`, which defaults to `endsAt`. `visibility: invite` needs `allowedDomains` (e-mail domains). `approval: manual` has the "
                + "organiser decide each team. The `rubric` is weighted criteria judges score from 0 to `max` (default four criteria).");
        group.MapPatch("/contests/{id}", Update).WithName("UpdateContest").RequireAuthorization(Scopes.PlatformAdmin).LiveOnly("organising a contest")
            .Refuses(CommonErrors.Validation, ContestErrors.NotFound, ContestErrors.Conflict, ContestErrors.ResultsPublished, ContestErrors.RubricLocked)
            .WithSummary("Edit a contest: the fields sent change, the others stay.")
            .WithDescription("A change of `rules` raises `termsVersion` (teams keep the version they accepted). The rubric is fixed once a judge has "
                + "scored; nothing changes once the results are published.");
        return group;
    }

    internal static async Task<Ok<ContestList>> List(ClaimsPrincipal user, ContestService contests, CancellationToken cancellationToken) =>
        TypedResults.Ok(await contests.ListAsync(user, cancellationToken));

    internal static async Task<Results<Ok<Contest>, ProblemHttpResult>> Get(string id, ContestService contests, CancellationToken cancellationToken)
    {
        var outcome = await contests.GetAsync(id, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Created<Contest>, ProblemHttpResult>> Create(
        NewContest? body, ClaimsPrincipal user, ContestService contests, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await contests.CreateAsync(user, body, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/contests/{outcome.Value!.Id}", outcome.Value);
    }

    internal static async Task<Results<Ok<Contest>, ProblemHttpResult>> Update(
        string id, NewContest? body, ClaimsPrincipal user, ContestService contests, CancellationToken cancellationToken)
    {
        var outcome = await contests.UpdateAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }
}
