namespace OpenData.Platform.Access;

/// <summary>What happens to an access request, and who may do it.</summary>
internal enum AccessAction
{
    Approve,
    Reject,
    RequestChanges,
    Withdraw,
    Resubmit,
    Submit,
}

/// <summary>
/// The states of API.md: <c>submitted → approved | rejected | changes_requested</c>, <c>changes_requested → submitted</c>
/// (resubmit), withdrawal while a request is still open, and for datasets whose classification needs a platform review
/// (L3) <c>submitted → owner_approved → approved</c>. A <c>draft</c> (made by the platform, e.g. when a sandbox app is
/// promoted) is its requester's alone until submitted: <c>draft → submitted | withdrawn</c>; no owner sees or decides it.
/// Anything else is not allowed in the state (409).
/// </summary>
internal static class AccessWorkflow
{
    public const string Submitted = "submitted";
    public const string OwnerApproved = "owner_approved";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string ChangesRequested = "changes_requested";
    public const string Withdrawn = "withdrawn";
    public const string Draft = "draft";

    public static readonly IReadOnlyList<string> States = [Draft, Submitted, OwnerApproved, Approved, Rejected, ChangesRequested, Withdrawn];

    /// <summary>Requests still waiting on someone: the requester's access to the dataset reads <c>pending</c>.</summary>
    public static readonly IReadOnlyList<string> Open = [Submitted, OwnerApproved, ChangesRequested];

    /// <summary>
    /// The state after <paramref name="action"/>, or null when the action is not allowed in <paramref name="state"/>;
    /// <paramref name="platformReview"/> says whether the dataset's classification needs the platform's review after the owner's approval.
    /// </summary>
    public static string? Next(string state, AccessAction action, bool platformReview) => (state, action) switch
    {
        (Submitted, AccessAction.Approve) => platformReview ? OwnerApproved : Approved,
        (OwnerApproved, AccessAction.Approve) => Approved,
        (Submitted or OwnerApproved, AccessAction.Reject) => Rejected,
        (Submitted or OwnerApproved, AccessAction.RequestChanges) => ChangesRequested,
        (Submitted or OwnerApproved or ChangesRequested, AccessAction.Withdraw) => Withdrawn,
        (ChangesRequested, AccessAction.Resubmit) => Submitted,
        (Draft, AccessAction.Submit) => Submitted,
        (Draft, AccessAction.Withdraw) => Withdrawn,
        _ => null,
    };

    /// <summary>Who acts on a request in <paramref name="state"/>: the owner decides submitted requests, the platform owner-approved ones.</summary>
    public static bool PlatformDecides(string state) => state == OwnerApproved;

    public static string Name(AccessAction action) => action switch
    {
        AccessAction.Approve => "approve",
        AccessAction.Reject => "reject",
        AccessAction.RequestChanges => "request-changes",
        AccessAction.Withdraw => "withdraw",
        AccessAction.Submit => "submit",
        _ => "resubmit",
    };
}
