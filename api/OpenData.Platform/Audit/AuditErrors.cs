using OpenData.Platform.Common;

namespace OpenData.Platform.Audit;

/// <summary>Error codes of the audit log (the codes of a broken chain in a check's answer are <see cref="AuditChainBreaks"/>).</summary>
internal static class AuditErrors
{
    [ErrorCode(403, "only data owners and platform operators check the audit chain")]
    public const string VerifyForbidden = "audit.verify_forbidden";

    [ErrorCode(403, "only platform operators recompute the whole chain (full=true)")]
    public const string FullVerifyForbidden = "audit.full_verify_forbidden";
}
