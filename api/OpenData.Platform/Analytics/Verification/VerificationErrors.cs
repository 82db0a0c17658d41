using OpenData.Platform.Common;

namespace OpenData.Platform.Analytics.Verification;

/// <summary>Error codes of verification products (核验服务).</summary>
internal static class VerificationErrors
{
    [ErrorCode(403, "only the dataset's owner defines or reads its verification")]
    public const string NotOwner = "verify.not_owner";

    [ErrorCode(404, "the dataset's owner has defined no verification on it")]
    public const string NotDefined = "verify.not_defined";

    [ErrorCode(403, "the caller holds no active verify grant on this dataset (a records grant does not verify): ask with POST /v1/access-requests {kind: verify}")]
    public const string GrantRequired = "verify.grant_required";

    [ErrorCode(429, "too many verification calls on this dataset this minute")]
    public const string RateLimited = "verify.rate_limited";

    [ErrorCode(429, "today's no_match answers on this dataset are used up (an enumeration bound); the owner has been alerted")]
    public const string NoMatchLimit = "verify.no_match_limit";
}
