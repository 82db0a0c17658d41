using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Auth;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;

namespace OpenData.Portal.Developer;

/// <summary>
/// The signed-in person as the services see them: the sign-in cookie names the person and their tenant; what they may do
/// (scopes) follows from their role in the tenant as it stands now, read afresh on each request — so a person removed or
/// demoted loses the console's actions at once, as their tokens would (<see cref="TenantScopes.OfAsync"/>); so does a provider whose
/// licence is revoked (<see cref="ExtraScopes"/>).
/// </summary>
internal sealed record ConsolePerson(ClaimsPrincipal Principal, string MemberId, string Name, string Email, string Role, TenantRow Tenant)
{
    /// <summary>The scopes the tenant holds now beyond its kind's: a licensed provider's <c>datasets:write</c> and <c>access:review</c>.</summary>
    public IReadOnlyList<string> ExtraScopes { get; init; } = [];

    // The sign-in cookie's claim names (OpenID Connect's).
    private const string SubjectClaim = "sub";
    private const string NameClaim = "name";

    public bool IsAdmin => Principal.HasScope(Scopes.TenantAdmin);

    public bool MayRequestAccess => Principal.HasScope(Scopes.AccessRequest);

    /// <summary>Whether the person's tenant publishes data (an owner, 数源单位): the console then shows its datasets and grants.</summary>
    public bool IsOwnerTenant => string.Equals(Tenant.Kind, "owner", StringComparison.Ordinal);

    /// <summary>Whether the tenant is a consumer the operator licensed as a provider, with the licence in force: it publishes derived datasets.</summary>
    public bool IsLicensedProvider => IsConsumerTenant && ExtraScopes.Contains(Scopes.DatasetsWrite);

    /// <summary>Whether the person's tenant publishes datasets: an owner, or a licensed provider (its derived datasets); the console then shows its datasets and grants.</summary>
    public bool PublishesDatasets => IsOwnerTenant || IsLicensedProvider;

    /// <summary>Whether the person's tenant uses data (a company, team or person): it registers contest teams.</summary>
    public bool IsConsumerTenant => string.Equals(Tenant.Kind, "consumer", StringComparison.Ordinal);

    /// <summary>Whether the person is one of the platform's operators (a member of the <c>platform</c> tenant): the console then shows the operator's pages.</summary>
    public bool IsOperator => string.Equals(Tenant.Kind, "platform", StringComparison.Ordinal);

    /// <summary>The person behind the request's sign-in cookie; null when there is none, the person no longer exists or their tenant is disabled.</summary>
    public static async Task<ConsolePerson?> ResolveAsync(HttpContext context, TenancyStore store)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cookie = await context.AuthenticateAsync(SignInEndpoints.CookieScheme);
        var subject = cookie.Succeeded ? cookie.Principal?.FindFirst(SubjectClaim)?.Value : null;
        var member = subject is null ? null : await store.MemberAsync(subject, null, context.RequestAborted);
        var tenant = member is null ? null : await store.TenantAsync(member.TenantId, context.RequestAborted);
        // A person of a disabled tenant is no longer anyone here: the console signs them out.
        if (member is null || tenant is null || tenant.DisabledAt is not null)
        {
            return null;
        }
        var identity = new ClaimsIdentity(SignInEndpoints.CookieScheme, NameClaim, null);
        identity.AddClaim(new Claim(SubjectClaim, member.Id));
        identity.AddClaim(new Claim(NameClaim, member.Name));
        identity.AddClaim(new Claim(PlatformClaims.Tenant, member.TenantId));
        var extra = await context.RequestServices.GetRequiredService<TenantScopes>().ExtraAsync(tenant.Id, tenant.Kind, context.RequestAborted);
        identity.AddClaim(new Claim(PlatformClaims.Scope, string.Join(' ', TenantRoles.ScopesOf(tenant.Kind, member.Role, extra))));
        return new ConsolePerson(new ClaimsPrincipal(identity), member.Id, member.Name, member.Email, member.Role, tenant) { ExtraScopes = extra };
    }
}
