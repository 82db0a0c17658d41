using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenData.Platform.Auth;

namespace OpenData.Portal.Browsing;

/// <summary>
/// Who is looking at a page: the person signed in with the platform's sign-in cookie (a member of a tenant, so the tenant's
/// grants and ownership decide the view), or an anonymous visitor. Pages hand this principal to the same services the API does.
/// </summary>
internal static class PortalCaller
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    public static async Task<ClaimsPrincipal> ResolveAsync(HttpContext context)
    {
        var person = await context.AuthenticateAsync(SignInEndpoints.CookieScheme);
        return person.Succeeded && person.Principal is { } principal ? principal : Anonymous;
    }
}
