using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OpenData.Platform.Common;

/// <summary>
/// The two environments kept apart at the route: a live action (an access request, a decision, a live webhook) refuses a sandbox
/// app's token, and a sandbox route (simulated events) refuses a live app's token, both with 403 <c>env.mismatch</c> naming the
/// environment the credential belongs to. Callers without a token, or signed in to the portal without one, pass: the route's own
/// authorisation decides for them.
/// </summary>
internal static class EnvironmentGate
{
    // The token's environment claim (Identity's PlatformClaims.Environment); Common uses no module, so it reads the claim by name.
    private const string Claim = "env";
    private const string Sandbox = "sandbox";

    /// <summary>The environment of the caller's app token (<c>live</c> or <c>sandbox</c>), or null without one.</summary>
    public static string? EnvironmentOf(ClaimsPrincipal caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Identity?.IsAuthenticated == true ? caller.FindFirst(Claim)?.Value : null;
    }

    /// <summary>The 403 of a sandbox credential on a live action.</summary>
    public static Refusal SandboxOnLive(string action) => Refusal.Forbidden(CommonErrors.EnvironmentMismatch,
        $"this is a sandbox credential (env: sandbox, client id sbx_…), and {action} belongs to live: use a live app's token, or promote the sandbox app (POST /v1/apps/{{id}}/promote)");

    /// <summary>The 403 of a live credential on a sandbox route.</summary>
    public static Refusal LiveOnSandbox(string action) => Refusal.Forbidden(CommonErrors.EnvironmentMismatch,
        $"this is a live credential (env: live), and {action} belongs to the sandbox: use a sandbox app's token (an app created with environment: sandbox)");

    /// <summary>Refuses a sandbox app's token on this route (or every route of a group): <paramref name="action"/> names what it does.</summary>
    public static TBuilder LiveOnly<TBuilder>(this TBuilder builder, string action) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
            string.Equals(EnvironmentOf(context.HttpContext.User), Sandbox, StringComparison.Ordinal)
                ? Problems.From(SandboxOnLive(action), context.HttpContext.Response)
                : await next(context));
        return builder.Refuses(CommonErrors.EnvironmentMismatch);
    }

    /// <summary>Refuses anything but a sandbox app's token on this route (or every route of a group).</summary>
    public static TBuilder SandboxOnly<TBuilder>(this TBuilder builder, string action) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
            EnvironmentOf(context.HttpContext.User) is { } environment && !string.Equals(environment, Sandbox, StringComparison.Ordinal)
                ? Problems.From(LiveOnSandbox(action), context.HttpContext.Response)
                : await next(context));
        return builder.Refuses(CommonErrors.EnvironmentMismatch);
    }
}
