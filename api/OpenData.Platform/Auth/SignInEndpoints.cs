using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenData.Platform.Auth;

/// <summary>
/// People sign in with e-mail and password (a cookie of our own), then consent to an app's request; the authorisation
/// endpoint (code flow with PKCE) and the code and refresh grants of the token endpoint. Minimal pages; the portal restyles them.
/// </summary>
public static class SignInEndpoints
{
    public const string CookieScheme = "OpenData.SignIn";
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/account/signin", SignInPage).WithName("SignInPage").WithTags("Identity").AllowAnonymous().ExcludeFromDescription();
        routes.MapPost("/account/signin", SignInAsync).WithName("SignIn").WithTags("Identity").AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        routes.MapMethods("/connect/authorize", ["GET", "POST"], AuthorizeAsync).WithName("Authorize").WithTags("Identity").AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    internal static IResult SignInPage(string? returnUrl, string? error) => Page("登录 Sign in", $"""
        <form method="post" action="/account/signin">
          {(error is null ? "" : $"<p class=\"error\">{Encode(error)}</p>")}
          <input type="hidden" name="returnUrl" value="{Encode(returnUrl ?? "/")}">
          <label>E-mail <input name="email" type="email" autocomplete="username" required></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit">Sign in</button>
        </form>
        """);

    internal static async Task<IResult> SignInAsync(HttpContext context, TenancyStore store, TimeProvider clock)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var email = form["email"].ToString().Trim().ToLowerInvariant();
        var returnUrl = form["returnUrl"].ToString();
        if (!IsLocal(returnUrl))
        {
            returnUrl = "/";
        }
        var member = await store.MemberAsync(null, email, context.RequestAborted);
        var now = clock.GetUtcNow();
        if (member?.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            return WithStatus(SignInPage(returnUrl, $"Too many failed attempts: this account is locked until {lockedUntil:HH:mm} UTC."), 423);
        }
        var valid = member is not null
            && new PasswordHasher<MemberRow>().VerifyHashedPassword(member, member.PasswordHash, form["password"].ToString()) != PasswordVerificationResult.Failed;
        if (!valid)
        {
            if (member is not null)
            {
                await store.RecordFailedSignInAsync(member.Id, MaxFailedSignIns, now + Lockout, context.RequestAborted);
            }
            return WithStatus(SignInPage(returnUrl, "E-mail or password is not right."), 401);
        }
        await store.ResetFailedSignInsAsync(member!.Id, context.RequestAborted);
        var identity = new ClaimsIdentity(CookieScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, member.Id));
        identity.AddClaim(new Claim(Claims.Name, member.Name));
        identity.AddClaim(new Claim(PlatformClaims.Tenant, member.TenantId));
        await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    internal static async Task<IResult> AuthorizeAsync(HttpContext context, TenancyStore store)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("the OpenIddict request is missing: is the server middleware registered?");
        var person = await context.AuthenticateAsync(CookieScheme);
        if (!person.Succeeded)
        {
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryOf(request) }, [CookieScheme]);
        }
        var member = await store.MemberAsync(person.Principal!.FindFirst(Claims.Subject)?.Value, null, context.RequestAborted);
        var app = await store.AppByClientIdAsync(request.ClientId!, context.RequestAborted);
        var tenant = member is null ? null : await store.TenantAsync(member.TenantId, context.RequestAborted);
        if (member is null || app is null || tenant is null)
        {
            await context.SignOutAsync(CookieScheme);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryOf(request) }, [CookieScheme]);
        }
        // What the token may carry: asked for, held by the app, and held by the person's role.
        var roleScopes = TenantRoles.ScopesOf(tenant.Kind, member.Role).Append(OpenIddictConstants.Scopes.OfflineAccess);
        var scopes = request.GetScopes().Intersect(roleScopes, StringComparer.Ordinal).ToList();
        var decision = HttpMethods.IsPost(context.Request.Method) ? (await context.Request.ReadFormAsync(context.RequestAborted))["consent"].ToString() : "";
        if (decision == "deny")
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "the person declined the request",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        if (decision != "allow")
        {
            var hidden = new StringBuilder();
            foreach (var (name, value) in request.GetParameters())
            {
                hidden.Append(System.Globalization.CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value.ToString())}\">");
            }
            return Page("授权 Allow access", $"""
                <p><strong>{Encode(app.Name)}</strong> asks to act for <strong>{Encode(member.Name)}</strong> ({Encode(tenant.Name)}) with:</p>
                <ul>{string.Concat(scopes.Select(s => $"<li>{Encode(s)}</li>"))}</ul>
                <form method="post" action="/connect/authorize">{hidden}
                  <button name="consent" value="allow" type="submit">Allow</button>
                  <button name="consent" value="deny" type="submit">Deny</button>
                </form>
                """, Hosting.ContentSecurityPolicy.OriginOf(request.RedirectUri));
        }
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, member.Id)
            .SetClaim(Claims.Name, member.Name)
            .SetClaim(PlatformClaims.Tenant, member.TenantId)
            .SetClaim(PlatformClaims.Environment, app.Environment);
        identity.SetScopes(scopes);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The code and refresh grants: the person must still exist and not be locked out.</summary>
    internal static async Task<IResult> ExchangeAsync(HttpContext context, TenancyStore store, TimeProvider clock)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal!;
        var member = await store.MemberAsync(principal.GetClaim(Claims.Subject), null, context.RequestAborted);
        if (member is null || member.LockedUntil > clock.GetUtcNow())
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "the person may no longer sign in",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        var identity = new ClaimsIdentity(principal.Claims, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static string QueryOf(OpenIddictRequest request) =>
        QueryString.Create(request.GetParameters().Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))).ToUriComponent();

    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static IResult WithStatus(IResult page, int status) => page is ContentHttpResultWithStatus ? page : new ContentHttpResultWithStatus(page, status);

    // formTarget: an origin the page's form may end at after redirects (consent: the client's), beside the platform.
    private static Hosting.HtmlPage Page(string title, string body, string? formTarget = null) => new Hosting.HtmlPage($$"""
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>{{Encode(title)}} · OpenData</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input{width:100%;padding:.4rem}.error{color:#b00020}button{margin:.8rem .5rem 0 0;padding:.4rem 1rem}</style>
        </head><body><h1>{{Encode(title)}}</h1>{{body}}</body></html>
        """, formTarget is null ? null : [formTarget]);

    private sealed class ContentHttpResultWithStatus(IResult inner, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
