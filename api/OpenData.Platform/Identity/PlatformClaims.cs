using System.Security.Claims;

namespace OpenData.Platform.Identity;

/// <summary>The claims the platform reads from a caller's token: <c>tenant</c>, <c>client_id</c>, <c>env</c>, <c>scope</c>.</summary>
internal static class PlatformClaims
{
    public const string Tenant = "tenant";
    public const string ClientId = "client_id";
    public const string Environment = "env";
    public const string Scope = "scope";

    public static string? TenantId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identity?.IsAuthenticated == true ? principal.FindFirst(Tenant)?.Value : null;
    }

    /// <summary>
    /// Who acted, for the audit trail: the app's client id when the caller holds a token, otherwise the person signed in to the
    /// portal (<c>person:</c> and their member id, from the sign-in cookie's subject), so a decision taken in the console names
    /// its reviewer; null for an anonymous caller.
    /// </summary>
    public static string? Actor(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        return principal.FindFirst(ClientId)?.Value ?? (principal.FindFirst(Subject)?.Value is { Length: > 0 } person ? PersonPrefix + person : null);
    }

    /// <summary>The <c>env</c> claim's value of a sandbox app's token.</summary>
    public const string SandboxEnvironment = "sandbox";

    /// <summary>Whether the caller holds a sandbox app's token (<c>env: sandbox</c>): it reads twins, never live rows or live actions.</summary>
    public static bool IsSandbox(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identity?.IsAuthenticated == true && string.Equals(principal.FindFirst(Environment)?.Value, SandboxEnvironment, StringComparison.Ordinal);
    }

    /// <summary>The claim naming the person or app (OpenID Connect's <c>sub</c>).</summary>
    public const string Subject = "sub";

    /// <summary>How the audit trail names a person acting in the portal.</summary>
    public const string PersonPrefix = "person:";

    /// <summary>Scopes may come as one space-separated claim or as one claim each.</summary>
    public static bool HasScope(this ClaimsPrincipal principal, string scope)
    {
        ArgumentNullException.ThrowIfNull(principal);
        foreach (var claim in principal.FindAll(Scope))
        {
            foreach (var part in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(part, scope, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
