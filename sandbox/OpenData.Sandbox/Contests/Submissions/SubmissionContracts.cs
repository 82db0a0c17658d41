using System.Text.Json.Serialization;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// The body of <c>POST /v1/contests/{id}/submissions</c>: the team, the app's title and description, its demo URL, repository
/// URL, the contest datasets it uses, and the id of a PDF uploaded first (<c>POST …/teams/{teamId}/attachments</c>).
/// </summary>
internal sealed record NewSubmission(string? TeamId, string? Title, string? Description, string? Url, string? RepositoryUrl, IReadOnlyList<string>? Datasets,
    string? AttachmentId);

/// <summary>A PDF stored for a team (its content is downloaded from <c>GET /v1/contests/{id}/attachments/{attachmentId}</c>).</summary>
internal sealed record SubmissionAttachment(string Id, string FileName, long Size, string Sha256, DateTimeOffset UploadedAt);

/// <summary>One version of a team's submission; the highest version is the one judged, the older stay for disputes.</summary>
internal sealed record Submission(string Id, string ContestId, string TeamId, string TeamName, int Version, bool Current, string Title, string Description,
    string? Url, string? RepositoryUrl, IReadOnlyList<string> Datasets,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SubmissionAttachment? Attachment, DateTimeOffset SubmittedAt);

/// <summary>Submissions: every version of every team for the organiser, the caller's own teams' versions otherwise.</summary>
internal sealed record SubmissionList(IReadOnlyList<Submission> Items);

/// <summary>An attachment's bytes, to send back.</summary>
internal sealed record AttachmentContent(string FileName, string ContentType, byte[] Content);
