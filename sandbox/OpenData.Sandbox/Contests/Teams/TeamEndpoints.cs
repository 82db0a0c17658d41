using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;

namespace OpenData.Sandbox.Contests;

/// <summary>Registration and teams: <c>/v1/contests/{id}/teams…</c>.</summary>
internal static class TeamEndpoints
{
    public static RouteGroupBuilder MapTeamRoutes(this RouteGroupBuilder group)
    {
        group.MapPost("/contests/{id}/teams", Register).WithName("RegisterContestTeam").RequireAuthorization().LiveOnly("registering a contest team")
            .Refuses(CommonErrors.Validation, ContestErrors.NotFound, TeamErrors.ConsumersOnly, TeamErrors.RegistrationClosed, TeamErrors.TermsNotAccepted,
                TeamErrors.TeamTooLarge, TeamErrors.NotInvited, TeamErrors.NameTaken, TeamErrors.MemberTaken)
            .WithSummary("Register a team (a consumer tenant's token, or a person signed in): name, members by e-mail, track, acceptance of the terms.")
            .WithDescription("Open while the contest is in its registration phase. Each person (e-mail) is in one team per contest; a team has at most "
                + "`teamSizeLimit` members (a person's token counts its person); an invite-only contest takes members of its `allowedDomains` only. "
                + "The terms' version is recorded with the acceptance. When the contest approves automatically the team is `approved` at once and "
                + "the answer carries its sandbox `credentials` (shown this once): an app of the caller's tenant on the `contest` plan that reads "
                + "the contest's datasets only. Otherwise the team is `pending` until the organiser decides.");
        group.MapGet("/contests/{id}/teams", List).WithName("ListContestTeams").RequireAuthorization()
            .Refuses(ContestErrors.NotFound)
            .WithSummary("Teams of a contest: every team for the organiser, the caller's tenant's own otherwise.");
        group.MapGet("/contests/{id}/teams/{teamId}", Get).WithName("GetContestTeam").RequireAuthorization()
            .Refuses(ContestErrors.NotFound, TeamErrors.NotFound)
            .WithSummary("A team: its status, members, the terms version it accepted, the decision and its sandbox app's client id.");
        group.MapPatch("/contests/{id}/teams/{teamId}", Update).WithName("UpdateContestTeam").RequireAuthorization().LiveOnly("changing a contest team")
            .Refuses(CommonErrors.Validation, ContestErrors.NotFound, TeamErrors.NotFound, TeamErrors.RegistrationClosed, TeamErrors.TeamTooLarge,
                TeamErrors.NotInvited, TeamErrors.NameTaken, TeamErrors.MemberTaken)
            .WithSummary("Change a team's name, members (the whole new list) or track, until registration closes (the team's tenant).");
        group.MapPost("/contests/{id}/teams/{teamId}/decision", Decide).WithName("DecideContestTeam").RequireAuthorization(Scopes.PlatformAdmin)
            .LiveOnly("deciding a contest team")
            .Refuses(CommonErrors.Validation, ContestErrors.NotFound, TeamErrors.NotFound, TeamErrors.AlreadyDecided)
            .WithSummary("The organiser approves or rejects a pending team, with a reason (required to reject).")
            .WithDescription("`{decision: approve|reject, reason}`. Approval makes the team's sandbox app (its secret shown to nobody: the team issues "
                + "its credentials with `POST …/credentials`). The team's tenant gets `contest.registration_decided`.");
        group.MapPost("/contests/{id}/teams/{teamId}/credentials", Credentials).WithName("IssueContestTeamCredentials").RequireAuthorization()
            .LiveOnly("issuing a contest team's credentials")
            .Refuses(ContestErrors.NotFound, TeamErrors.NotFound, TeamErrors.NotApproved)
            .WithSummary("The team's sandbox client id and a new secret (shown once; the previous secret stops working): the team's tenant, once approved.");
        return group;
    }

    internal static async Task<Results<Created<TeamRegistered>, ProblemHttpResult>> Register(
        string id, NewTeam? body, ClaimsPrincipal user, TeamService teams, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await teams.RegisterAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/contests/{id}/teams/{outcome.Value!.Team.Id}", outcome.Value);
    }

    internal static async Task<Results<Ok<TeamList>, ProblemHttpResult>> List(string id, ClaimsPrincipal user, TeamService teams, CancellationToken cancellationToken) =>
        Answer(await teams.ListAsync(user, id, cancellationToken));

    internal static async Task<Results<Ok<Team>, ProblemHttpResult>> Get(string id, string teamId, ClaimsPrincipal user, TeamService teams, CancellationToken cancellationToken) =>
        Answer(await teams.GetAsync(user, id, teamId, cancellationToken));

    internal static async Task<Results<Ok<Team>, ProblemHttpResult>> Update(
        string id, string teamId, TeamPatch? body, ClaimsPrincipal user, TeamService teams, CancellationToken cancellationToken) =>
        Answer(await teams.UpdateAsync(user, id, teamId, body, cancellationToken));

    internal static async Task<Results<Ok<Team>, ProblemHttpResult>> Decide(
        string id, string teamId, TeamDecision? body, ClaimsPrincipal user, TeamService teams, CancellationToken cancellationToken) =>
        Answer(await teams.DecideAsync(user, id, teamId, body, cancellationToken));

    internal static async Task<Results<Ok<AppCredentials>, ProblemHttpResult>> Credentials(
        string id, string teamId, ClaimsPrincipal user, TeamService teams, CancellationToken cancellationToken) =>
        Answer(await teams.CredentialsAsync(user, id, teamId, cancellationToken));

    internal static Results<Ok<T>, ProblemHttpResult> Answer<T>(Outcome<T> outcome) =>
        outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
}
