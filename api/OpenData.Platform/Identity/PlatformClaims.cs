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
