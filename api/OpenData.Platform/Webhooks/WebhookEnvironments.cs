using System.Security.Claims;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Webhooks;

/// <summary>
/// The two environments a webhook belongs to (<c>webhooks.environment</c>): the environment of the app whose token registered it. Live
/// events go to live webhooks only, the sandbox's simulated events to sandbox webhooks only, and each environment's routes see only its own.
/// </summary>
internal static class WebhookEnvironments
{
    public const string Live = "live";
    public const string Sandbox = PlatformClaims.SandboxEnvironment;

    /// <summary>The caller's environment: <c>sandbox</c> for a sandbox app's token, <c>live</c> for everyone else (a live token, a person in the portal).</summary>
    public static string Of(ClaimsPrincipal caller) => caller.IsSandbox() ? Sandbox : Live;
}
