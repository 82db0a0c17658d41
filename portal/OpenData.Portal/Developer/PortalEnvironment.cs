using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using OpenData.Platform.Identity;

namespace OpenData.Portal.Developer;

/// <summary>
/// The console's sandbox/live switch: the signed-in person's choice, kept in the <c>od_env</c> cookie. In sandbox mode the
/// dataset page's preview reads as a sandbox caller of the person's tenant (the read path serves the version's synthetic twin),
/// the try-it console offers the tenant's sandbox apps and new apps are sandbox apps by default. A visitor who is not signed in
/// has no tenant, so no sandbox caller: the cookie means nothing to them.
/// </summary>
internal static class PortalEnvironment
{
    public const string CookieName = "od_env";

    public const string Live = "live";

    public const string Sandbox = PlatformClaims.SandboxEnvironment;

    public static bool IsSupported(string? value) => value is Live or Sandbox;

    /// <summary>Whether the person chose the sandbox (the cookie alone; the pages ask only for signed-in people).</summary>
    public static bool IsSandbox(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return string.Equals(context.Request.Cookies[CookieName], Sandbox, StringComparison.Ordinal);
    }

    /// <summary><c>live</c> or <c>sandbox</c>: the environment the console works in now.</summary>
    public static string Current(HttpContext context) => IsSandbox(context) ? Sandbox : Live;

    /// <summary>Keeps the choice for 30 days (HttpOnly, SameSite=Lax, Secure over https).</summary>
    public static void Choose(HttpContext context, string environment)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(CookieName, environment, new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddDays(30),
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = "/",
        });
    }

    /// <summary>
    /// The signed-in person as a sandbox caller of their tenant: the same claims with <c>env: sandbox</c>, which the read path
    /// answers from the twin (<see cref="PlatformClaims.IsSandbox"/>). A caller who is not signed in is returned as it is.
    /// </summary>
    public static ClaimsPrincipal AsSandbox(ClaimsPrincipal person)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (person.Identity is not ClaimsIdentity { IsAuthenticated: true } identity)
        {
            return person;
        }
        var claims = identity.Claims.Where(c => c.Type != PlatformClaims.Environment)
            .Append(new Claim(PlatformClaims.Environment, Sandbox));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType));
    }
}
