using System.Text.Json.Serialization;
using OpenData.Platform.Risk;

namespace OpenData.Platform.Access;

/// <summary>
/// The body of <c>POST /v1/access-requests</c>: the dataset, the columns needed (all when absent), why, for how long, optionally
/// the app that will read, optionally the linkage domains whose tokens should match the tenant's other datasets', and the
/// <c>kind</c> of access (<see cref="AccessKind"/>: rows, the default, or the dataset's verification only).
/// </summary>
internal sealed record NewAccessRequest(string? DatasetId, IReadOnlyList<string>? Columns, string? Purpose, int? DurationDays, string? AppId, IReadOnlyList<string>? Linkage = null,
    string? Kind = null);

/// <summary>
/// The body of <c>POST /v1/access-requests/{id}/decision</c>; an approval may narrow the columns, shorten the expiry and set
/// the linkage domains it approves (the owner decides them; absent, those asked for; the platform's review may only narrow them).
/// </summary>
internal sealed record AccessDecision(string? Decision, string? Reason, IReadOnlyList<string>? Columns, DateTimeOffset? ExpiresAt, IReadOnlyList<string>? Linkage = null);

/// <summary>The body of <c>/withdraw</c> and <c>/resubmit</c>; a resubmission may change what is asked.</summary>
internal sealed record AccessChange(string? Reason, IReadOnlyList<string>? Columns, string? Purpose, int? DurationDays, IReadOnlyList<string>? Linkage = null);

/// <summary>
/// The body of <c>PATCH /v1/access-requests/{id}</c> and <c>/submit</c> for a draft: what to change (absent: as drafted);
/// <c>appId</c> empty asks for every app of the tenant.
/// </summary>
internal sealed record AccessDraftChange(IReadOnlyList<string>? Columns, string? Purpose, int? DurationDays, string? AppId, IReadOnlyList<string>? Linkage = null);

/// <summary>One transition of a request.</summary>
internal sealed record AccessRequestEvent(
    DateTimeOffset At, string Actor, string Action, string? From, string To, string? Reason, IReadOnlyList<string>? Columns, IReadOnlyList<string>? Linkage, DateTimeOffset? ExpiresAt);

/// <summary>
/// An access request with its full history; for its reviewers (the dataset's owner, the operator) also the re-identification
/// <c>risk</c> of the view a grant of the columns asked for (or approved so far) would give.
/// </summary>
internal sealed record AccessRequestView(
    string Id, string DatasetId, string Owner, string Requester, string? AppId, IReadOnlyList<string>? Columns, IReadOnlyList<string> Linkage, string Purpose,
    int DurationDays, string Status, bool PlatformReview, string? GrantId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<AccessRequestEvent> History,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReidentificationRisk? Risk = null)
{
    /// <summary>What is asked: <c>records</c> (rows) or <c>verify</c> (the dataset's verification only, never a row).</summary>
    public string Kind { get; init; } = AccessKind.Records;
}

/// <summary>A list of access requests.</summary>
internal sealed record AccessRequestList(IReadOnlyList<AccessRequestView> Items);

/// <summary>A grant: who may read which columns of which dataset until when, why, and in which linkage domains its tokens match.</summary>
internal sealed record GrantView(
    string Id, string RequestId, string DatasetId, string Owner, string Tenant, string? AppId, IReadOnlyList<string>? Columns, IReadOnlyList<string> Linkage,
    string Purpose, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, string? RevokeReason, string Status)
{
    /// <summary>What it allows: <c>records</c> (rows) or <c>verify</c> (the dataset's verification only, never a row).</summary>
    public string Kind { get; init; } = AccessKind.Records;
}

/// <summary>A list of grants.</summary>
internal sealed record GrantList(IReadOnlyList<GrantView> Items);

/// <summary>The body of <c>POST /v1/grants/{id}/revoke</c>.</summary>
internal sealed record GrantRevocation(string? Reason);

/// <summary>An app's access request as the contest showcase shows it: the dataset, the request's status, and its grant's status once approved.</summary>
internal sealed record AppAccess(string RequestId, string DatasetId, string Status, string? GrantId, string? GrantStatus, DateTimeOffset? GrantExpiresAt);
