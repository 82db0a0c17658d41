namespace OpenData.Sandbox.Contests;

/// <summary>A criterion of a contest's rubric: judges score it from 0 to <c>max</c>; <c>weight</c> is its share of the total.</summary>
internal sealed record RubricCriterion(string Name, double Weight, double Max = 10);

/// <summary>
/// The body of <c>POST /v1/contests</c> and (every field optional, absent keeps the value) of <c>PATCH /v1/contests/{id}</c>.
/// Dates: registration opens at <c>startsAt</c> and closes at <c>registrationEndsAt</c> (default: the submission deadline);
/// submissions close at <c>submissionEndsAt</c> (default: <c>endsAt</c>); judging runs from then until the organiser publishes.
/// </summary>
internal sealed record NewContest(
    string? Id, string? Title, string? TitleEn, string? Description, string? DescriptionEn, string? Rules,
    IReadOnlyList<string>? Tracks, IReadOnlyList<string>? Datasets,
    DateTimeOffset? StartsAt, DateTimeOffset? RegistrationEndsAt, DateTimeOffset? SubmissionEndsAt, DateTimeOffset? JudgingEndsAt, DateTimeOffset? EndsAt,
    int? TeamSizeLimit, string? Visibility, IReadOnlyList<string>? AllowedDomains, string? Approval, IReadOnlyList<RubricCriterion>? Rubric);

/// <summary>
/// A contest as everyone sees it, with its phase now: <c>upcoming</c>, <c>registration</c> (teams register and may submit),
/// <c>build</c> (registration closed, submissions open), <c>judging</c> (submissions closed), <c>results</c> (published).
/// <c>termsVersion</c> goes up each time the rules change; a team records the version it accepted.
/// </summary>
internal sealed record Contest(
    string Id, string Title, string? TitleEn, string Description, string? DescriptionEn, string Rules, int TermsVersion,
    IReadOnlyList<string> Tracks, IReadOnlyList<string> Datasets,
    DateTimeOffset StartsAt, DateTimeOffset RegistrationEndsAt, DateTimeOffset SubmissionEndsAt, DateTimeOffset? JudgingEndsAt, DateTimeOffset EndsAt,
    string Phase, int TeamSizeLimit, string Visibility, IReadOnlyList<string> AllowedDomains, string Approval, IReadOnlyList<RubricCriterion> Rubric,
    DateTimeOffset? ResultsPublishedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

/// <summary>The public list of contests, newest start first.</summary>
internal sealed record ContestList(IReadOnlyList<Contest> Items);
