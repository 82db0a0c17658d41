using System.Text.Json.Serialization;
using OpenData.Platform.Tenancy;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// The body of <c>POST /v1/contests/{id}/teams</c>: the team's name, its members' e-mails (the signed-in person is one of them
/// without being named), the track, and the acceptance of the contest's terms (required; recorded with their version).
/// </summary>
internal sealed record NewTeam(string? Name, IReadOnlyList<string>? Members, string? Track, bool? AcceptTerms);

/// <summary>The body of <c>PATCH /v1/contests/{id}/teams/{teamId}</c>, until registration closes: what is sent changes.</summary>
internal sealed record TeamPatch(string? Name, IReadOnlyList<string>? Members, string? Track);

/// <summary>The body of the organiser's <c>POST /v1/contests/{id}/teams/{teamId}/decision</c>.</summary>
internal sealed record TeamDecision(string? Decision, string? Reason);

/// <summary>
/// A team as its tenant and the organiser see it (never a judge): its status (<c>pending</c>, <c>approved</c>, <c>rejected</c>),
/// members, the terms version it accepted and when, the decision, and its sandbox app (client id; the secret is shown once).
/// </summary>
internal sealed record Team(
    string Id, string ContestId, string TenantId, string Name, string? Track, string Status, IReadOnlyList<string> Members,
    int TermsVersion, DateTimeOffset TermsAcceptedAt, DateTimeOffset RegisteredAt, DateTimeOffset? DecidedAt, string? DecisionReason,
    string? AppId, string? ClientId, string? LiveAppId);

/// <summary>
/// A registered team, with its sandbox credentials when the contest approves automatically (the only time the secret is shown;
/// <c>POST …/teams/{teamId}/credentials</c> issues a new one).
/// </summary>
internal sealed record TeamRegistered(Team Team, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AppCredentials? Credentials);

/// <summary>Teams of a contest: all for the organiser, the caller's own otherwise.</summary>
internal sealed record TeamList(IReadOnlyList<Team> Items);
