using System.Text.Json.Serialization;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// The body of the organiser's <c>POST /v1/contests/{id}/judges</c>: the e-mail of a person (a member of any tenant) and, to
/// limit what they judge, the ids of the teams whose entries they see (absent: every entry).
/// </summary>
internal sealed record NewJudge(string? Email, IReadOnlyList<string>? Teams);

/// <summary>
/// A judge as the organiser sees them: the person (member id, e-mail, name, tenant), the teams they were assigned (null: all),
/// the approved teams whose entries they see, those they never see because of a conflict of interest (a team of their own
/// tenant, or one they are a member of), and how many entries they have scored.
/// </summary>
internal sealed record Judge(
    string Id, string Email, string Name, string TenantId, IReadOnlyList<string>? Teams, IReadOnlyList<string> Sees, IReadOnlyList<string> Excluded,
    int Scored, DateTimeOffset AddedAt);

/// <summary>The judges of a contest (the organiser's view).</summary>
internal sealed record JudgeList(IReadOnlyList<Judge> Items);

/// <summary>One criterion's score on a judge's scorecard.</summary>
internal sealed record CriterionScore(string Criterion, double Score);

/// <summary>A criterion's score as sent in <c>POST /v1/contests/{id}/scores</c>.</summary>
internal sealed record ScoreInput(string? Criterion, double? Score);

/// <summary>
/// The body of <c>POST /v1/contests/{id}/scores</c>: the entry (its code), a score for every criterion of the rubric (0 to the
/// criterion's <c>max</c>), and a comment. Scoring an entry again replaces the judge's scorecard for it.
/// </summary>
internal sealed record NewScore(string? Entry, IReadOnlyList<ScoreInput>? Scores, string? Comment);

/// <summary>
/// A judge's scorecard for an entry: the scores in the rubric's order, the comment, and the judge's total — the weighted mean
/// of the criteria, each normalised to its maximum, on a scale of 0 to 100 (two decimals).
/// </summary>
internal sealed record Scorecard(string Entry, IReadOnlyList<CriterionScore> Scores, string Comment, double Total, DateTimeOffset ScoredAt);

/// <summary>An entry's PDF as a judge downloads it: under a blind name (<c>entry-{code}.pdf</c>) from <c>href</c>.</summary>
internal sealed record EntryAttachment(string FileName, long Size, string Href);

/// <summary>
/// An entry as a judge sees it (blind review): its opaque code and what was submitted (the latest version) — never the team's
/// name, id, members or tenant — with the judge's own scorecard once they scored it.
/// </summary>
internal sealed record JudgeEntry(
    string Entry, int Version, string Title, string Description, string? Url, string? RepositoryUrl, IReadOnlyList<string> Datasets,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EntryAttachment? Attachment, DateTimeOffset SubmittedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Scorecard? MyScore);

/// <summary>The entries a judge may score, in the order of their codes, with the rubric they are scored on.</summary>
internal sealed record JudgeEntryList(string ContestId, IReadOnlyList<RubricCriterion> Rubric, IReadOnlyList<JudgeEntry> Items);
