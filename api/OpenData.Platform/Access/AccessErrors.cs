using OpenData.Platform.Common;

namespace OpenData.Platform.Access;

/// <summary>Error codes of access requests and grants.</summary>
internal static class AccessErrors
{
    [ErrorCode(404, "no access request with this id is visible to the caller")]
    public const string RequestNotFound = "access.request_not_found";

    [ErrorCode(409, "the caller already has an open request for this dataset")]
    public const string RequestOpen = "access.request_open";

    [ErrorCode(400, "a linkage domain the policy does not declare, or none of whose tags is on a requested column")]
    public const string InvalidLinkage = "access.invalid_linkage";

    [ErrorCode(409, "the request's state does not allow this action, or it changed a moment ago: read it again")]
    public const string InvalidTransition = "access.invalid_transition";

    [ErrorCode(403, "the caller does not review requests on this dataset (or, for L3, at this stage)")]
    public const string NotReviewer = "access.not_reviewer";

    [ErrorCode(403, "only the requester withdraws or resubmits a request")]
    public const string NotRequester = "access.not_requester";

    [ErrorCode(404, "no grant with this id that the caller may revoke")]
    public const string GrantNotFound = "access.grant_not_found";

    [ErrorCode(409, "the grant is revoked already")]
    public const string GrantRevoked = "access.grant_revoked";
}
