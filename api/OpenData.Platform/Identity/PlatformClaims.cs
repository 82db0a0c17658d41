using System.Security.Claims;

namespace OpenData.Platform.Identity;

/// <summary>
/// The claims the platform reads from a caller's token: <c>tenant</c>, <c>client_id</c>, <c>env</c>, <c>scope</c>, and for a bound
/// app <c>plan</c> and <c>datasets</c>.
/// </summary>
internal static class PlatformClaims
{
    public const string Tenant = "tenant";
    public const string ClientId = "client_id";
    public const string Environment = "env";
    public const string Scope = "scope";

    /// <summary>A bound app's own plan: its usage counts apart from its tenant's, under this plan's limits.</summary>
    public const string Plan = "plan";

    /// <summary>A bound app's datasets, space-separated ids: the only datasets whose rows it may read (present and empty: none).</summary>
    public const string Datasets = "datasets";

    /// <summary>The plan of a bound app's token; null for every other caller (whose plan is its tenant's).</summary>
    public static string? AppPlan(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identity?.IsAuthenticated == true && principal.FindFirst(Plan)?.Value is { Length: > 0 } plan ? plan : null;
    }

    /// <summary>The only datasets a bound app's token may read rows of; null when the caller is bound to no datasets (reads as its tenant).</summary>
    public static IReadOnlySet<string>? DatasetScope(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identity?.IsAuthenticated == true && principal.FindFirst(Datasets) is { } claim
            ? claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
            : null;
    }

    /// <summary>
    /// Puts a bound app's <c>plan</c> and <c>datasets</c> on an identity, in place of any it holds (null: none). An empty dataset
    /// list is kept as an empty claim: bound to no dataset, which is not the same as unbound.
    /// </summary>
    public static void SetBounds(this ClaimsIdentity identity, string? plan, IEnumerable<string>? datasets)
    {
        ArgumentNullException.ThrowIfNull(identity);
        foreach (var claim in identity.FindAll(c => c.Type is Plan or Datasets).ToList())
        {
            identity.RemoveClaim(claim);
        }
        if (plan is not null)
        {
            identity.AddClaim(new Claim(Plan, plan));
        }
        if (datasets is not null)
        {
            identity.AddClaim(new Claim(Datasets, string.Join(' ', datasets)));
        }
    }

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
