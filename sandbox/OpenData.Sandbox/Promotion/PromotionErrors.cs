using OpenData.Platform.Common;

namespace OpenData.Sandbox.Promotion;

/// <summary>Error codes of promoting a sandbox app to live.</summary>
internal static class PromotionErrors
{
    [ErrorCode(409, "only a sandbox app is promoted to live; this app is live already")]
    public const string NotSandboxApp = "sandbox.not_sandbox_app";

    [ErrorCode(409, "this sandbox app was promoted to live already (each is promoted once); the answer names its live app")]
    public const string AlreadyPromoted = "sandbox.already_promoted";
}
