using System.Text.Json.Serialization;
using OpenData.Platform.Tenancy;
using OpenData.Sandbox.Promotion;

namespace OpenData.Sandbox.Contests;

/// <summary>An award the organiser gives a team when publishing the results.</summary>
internal sealed record AwardInput(string? TeamId, string? Award);

/// <summary>
/// The body of the organiser's <c>POST /v1/contests/{id}/results</c> (may be empty): the awards, or absent for the default —
/// first, second and third prize to the entries ranked 1, 2 and 3 (tied entries share their rank's prize).
/// </summary>
internal sealed record NewResults(IReadOnlyList<AwardInput>? Awards);

/// <summary>One judge's total for an entry, as the organiser sees it.</summary>
internal sealed record JudgeTotal(string JudgeId, string Email, double Total, DateTimeOffset ScoredAt);

/// <summary>
/// An entry in the organiser's standings: its rank and score (none until a judge scored it), how many judges count and whether
/// the highest and lowest totals were dropped (five judges or more), each judge's total, the team, and the award once published.
/// </summary>
internal sealed record Standing(
    int? Rank, string TeamId, string TeamName, string Entry, string AppTitle, double? Score, int Judges, bool Trimmed, IReadOnlyList<JudgeTotal> Totals,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Award);

/// <summary>The organiser's standings: computed from the scorecards now, or as frozen once published.</summary>
internal sealed record StandingList(string ContestId, bool Published, IReadOnlyList<Standing> Items);

/// <summary>A line of the public leaderboard.</summary>
internal sealed record LeaderboardEntry(int? Rank, string TeamName, double? Score, int Judges, string? Award, string AppTitle, string? DemoUrl);

/// <summary>The public leaderboard of a contest whose results are published: rank, team, score, award and the app.</summary>
internal sealed record Leaderboard(string ContestId, string Title, DateTimeOffset PublishedAt, IReadOnlyList<LeaderboardEntry> Items);

/// <summary>A dataset a winning app uses.</summary>
internal sealed record ShowcaseDataset(string Id, string? Title);

/// <summary>A winning live app's metered requests and rows over seven quota days (<c>from</c> to <c>to</c>, inclusive).</summary>
internal sealed record UsageWeek(string From, string To, long Requests, long Rows);

/// <summary>An access request of a winning live app, with its grant's status once approved (<c>active</c>, <c>expired</c>, <c>revoked</c>).</summary>
internal sealed record LandingAccess(string DatasetId, string Status, string? GrantStatus, DateTimeOffset? GrantExpiresAt);

/// <summary>
/// Whether a winning app landed (落地): taken live or not, since when, its requests in the last seven days and in each of the last
/// four weeks (oldest first), and the access requests (and grants) of the live app.
/// </summary>
internal sealed record Landing(bool Live, DateTimeOffset? LiveSince, long RequestsLastWeek, IReadOnlyList<UsageWeek> Weeks, IReadOnlyList<LandingAccess> Access);

/// <summary>A winner on the showcase: award, team, the app as submitted, the datasets it uses, and its landing.</summary>
internal sealed record ShowcaseWinner(
    int? Rank, string Award, string TeamName, string AppTitle, string AppDescription, string? DemoUrl, string? RepositoryUrl,
    IReadOnlyList<ShowcaseDataset> Datasets, Landing Landing);

/// <summary>The public showcase of a contest whose results are published: its winners and what became of their apps.</summary>
internal sealed record Showcase(string ContestId, string Title, string? TitleEn, DateTimeOffset PublishedAt, IReadOnlyList<ShowcaseWinner> Winners);

/// <summary>
/// A winning team's app taken live: the live app (its secret shown this once) and the draft access requests prefilled with the
/// columns its sandbox app read, each flagged to the owners as a contest winner's (purpose and history name the contest and award).
/// </summary>
internal sealed record WinnerPromotion(string ContestId, string TeamId, string Award, string SandboxAppId, AppCredentials App, IReadOnlyList<PromotedDraft> Drafts);
