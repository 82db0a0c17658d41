using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenData.Platform.Auth;

/// <summary>
/// People sign in with e-mail and password (a cookie of our own), then consent to an app's request; the authorisation
/// endpoint (code flow with PKCE) and the code and refresh grants of the token endpoint. Minimal pages; the portal restyles them.
/// </summary>
internal static class SignInEndpoints
{
    public const string CookieScheme = "OpenData.SignIn";

    /// <summary>The one answer to a failed sign-in, whether or not the account exists.</summary>
    public const string Failure = "E-mail or password is not right.";

    // Checked when no account has the e-mail, so an unknown address costs the same hashing time as a known one.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<MemberRow>().HashPassword(new MemberRow(), Guid.NewGuid().ToString("N")));

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/account/signin", SignInPage).WithName("SignInPage").WithTags("Identity").AllowAnonymous().ExcludeFromDescription();
        routes.MapPost("/account/signin", SignInAsync).WithName("SignIn").WithTags("Identity").AllowAnonymous().ExcludeFromDescription();
        routes.MapMethods("/connect/authorize", ["GET", "POST"], AuthorizeAsync).WithName("Authorize").WithTags("Identity").AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    internal static IResult SignInPage(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        SignInForm(context, antiforgery, LocalReturnUrl.Normalise(returnUrl) ?? "/", null);

    private static Common.HtmlPage SignInForm(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? error) => Page(context, "登录 Sign in", $"""
        <form method="post" action="/account/signin">
          {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{Encode(error)}</p>")}
          {AntiforgeryField(context, antiforgery)}
          <input type="hidden" name="returnUrl" value="{Encode(returnUrl)}">
          <label>E-mail <input name="email" type="email" autocomplete="username" required></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit">Sign in</button>
        </form>
        <p><a href="/signup">注册新账号 Sign up</a> · <a href="/">返回门户 Back to the portal</a></p>
        """);

    /// <summary>
    /// Checks e-mail and password. Known and unknown accounts get the same answer after the same work (a password hash is
    /// verified either way); guessing is slowed by <see cref="FailureThrottle"/> per address, per account and address, and
    /// per account, never by locking the account (which would let anyone lock anyone out).
    /// </summary>
    internal static async Task<IResult> SignInAsync(HttpContext context, TenancyStore store, IAntiforgery antiforgery, FailureThrottle throttle, TimeProvider clock)
    {
        if (!context.Request.HasFormContentType)
        {
            return WithStatus(SignInForm(context, antiforgery, "/", "Send the sign-in form."), 400);
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = LocalReturnUrl.Normalise(form["returnUrl"].ToString()) ?? "/";
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return WithStatus(SignInForm(context, antiforgery, returnUrl, "The form had expired: please sign in again."), 400);
        }
        var email = form["email"].ToString().Trim().ToLowerInvariant();
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        FailureThrottle.Key[] keys =
        [
            new("signin-address:" + address, TimeSpan.FromSeconds(2), Serialised: true),
            new("signin-account-address:" + email + "|" + address, TimeSpan.FromSeconds(30), Serialised: true),
            new("signin-account:" + email, TimeSpan.FromSeconds(1), Serialised: false),
        ];
        if (await throttle.WaitTurnAsync(keys, context.RequestAborted) is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return WithStatus(SignInForm(context, antiforgery, returnUrl,
                $"Too many failed attempts from here: try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds."), 429);
        }
        var member = email.Length is > 0 and <= 320 ? await store.MemberAsync(null, email, context.RequestAborted) : null;
        var hasher = new PasswordHasher<MemberRow>();
        var password = form["password"].ToString();
        var verified = hasher.VerifyHashedPassword(member ?? new MemberRow(), member?.PasswordHash is { Length: > 0 } hash ? hash : DummyHash.Value, password);
        // An account an operator locked (locked_until) answers like a wrong password: nothing tells it apart.
        var valid = member is not null && verified != PasswordVerificationResult.Failed && !(member.LockedUntil > clock.GetUtcNow());
        if (!valid || member is null)
        {
            throttle.Failed(keys);
            return WithStatus(SignInForm(context, antiforgery, returnUrl, Failure), 401);
        }
        throttle.Succeeded(keys[1].Name);
        throttle.Succeeded(keys[2].Name);
        // Only a person who knows the password learns that their organisation was disabled, and why.
        if (await store.TenantAsync(member.TenantId, context.RequestAborted) is { DisabledAt: not null } disabled)
        {
            return WithStatus(SignInForm(context, antiforgery, returnUrl, DisabledTenant(disabled.DisabledReason)), 403);
        }
        await SignInPersonAsync(context, member.Id, member.Name, member.TenantId);
        return Results.Redirect(returnUrl);
    }

    /// <summary>What a person of a disabled tenant is told at sign-in, with the operator's reason.</summary>
    internal static string DisabledTenant(string? reason) =>
        $"您所在单位的账号已被平台停用。Your organisation's account has been disabled by the platform's operators. {reason}".TrimEnd();

    /// <summary>Issues the sign-in cookie for a person (after a checked password, or right after sign-up).</summary>
    internal static Task SignInPersonAsync(HttpContext context, string memberId, string name, string tenantId)
    {
        var identity = new ClaimsIdentity(CookieScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, memberId));
        identity.AddClaim(new Claim(Claims.Name, name));
        identity.AddClaim(new Claim(PlatformClaims.Tenant, tenantId));
        return context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
    }

    internal static async Task<IResult> AuthorizeAsync(HttpContext context, TenancyStore store, TenantScopes tenantScopes, IAntiforgery antiforgery)
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
        if (member is null || app is null || tenant is null || tenant.DisabledAt is not null)
        {
            await context.SignOutAsync(CookieScheme);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryOf(request) }, [CookieScheme]);
        }
        // What the token may carry: asked for, held by the app, and held by the person's role.
        var roleScopes = (await tenantScopes.OfAsync(tenant.Id, tenant.Kind, member.Role, context.RequestAborted)).Append(OpenIddictConstants.Scopes.OfflineAccess);
        var scopes = request.GetScopes().Intersect(roleScopes, StringComparer.Ordinal).ToList();
        var decision = HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync(context.RequestAborted))["consent"].ToString() : "";
        if (decision is "allow" or "deny" && !await antiforgery.IsRequestValidAsync(context))
        {
            // A consent posted from another site (or an expired form) decides nothing: the page is shown again.
            decision = "";
        }
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
            var hidden = new StringBuilder(AntiforgeryField(context, antiforgery));
            foreach (var (name, value) in request.GetParameters())
            {
                if (name is "consent" or AntiforgeryFieldName)
                {
                    continue;
                }
                hidden.Append(System.Globalization.CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value.ToString())}\">");
            }
            return Page(context, "授权 Allow access", $"""
                <p><strong>{Encode(app.Name)}</strong> asks to act for <strong>{Encode(member.Name)}</strong> ({Encode(tenant.Name)}) with:</p>
                <ul>{string.Concat(scopes.Select(s => $"<li>{Encode(s)}</li>"))}</ul>
                <form method="post" action="/connect/authorize">{hidden}
                  <button name="consent" value="allow" type="submit">Allow</button>
                  <button name="consent" value="deny" type="submit">Deny</button>
                </form>
                """, Common.ContentSecurityPolicy.OriginOf(request.RedirectUri));
        }
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, member.Id)
            .SetClaim(Claims.Name, member.Name)
            .SetClaim(PlatformClaims.Tenant, member.TenantId)
            .SetClaim(PlatformClaims.Environment, app.Environment);
        identity.SetScopes(scopes);
        identity.SetResources(TokenChecks.Audience);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// The code and refresh grants, reached only once OpenIddict and <see cref="ClientAuthentication"/> accepted the whole
    /// request (client, PKCE verifier, redirect URI, scopes): only then is the code or refresh token used up, once (degraded
    /// mode keeps no token table), and the person must still exist, not be locked out, nor be of a disabled tenant.
    /// </summary>
    internal static async Task<IResult> ExchangeAsync(HttpContext context, TenancyStore store, TenantScopes tenantScopes, TokenState tokens, TimeProvider clock)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal!;
        if (principal.GetClaim(Claims.JwtId) is not { } jti
            || !await tokens.TryRedeemAsync(jti, principal.GetExpirationDate() ?? clock.GetUtcNow().AddDays(30), context.RequestAborted))
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "the code or refresh token was used already",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        var member = await store.MemberAsync(principal.GetClaim(Claims.Subject), null, context.RequestAborted);
        var tenant = member is null ? null : await store.TenantAsync(member.TenantId, context.RequestAborted);
        if (member is null || member.LockedUntil > clock.GetUtcNow() || tenant is null || tenant.DisabledAt is not null)
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "the person may no longer sign in",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        var identity = new ClaimsIdentity(principal.Claims, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        // The new token carries what was granted and the person still holds: a role taken away, or a provider licence revoked, drops out.
        var held = (await tenantScopes.OfAsync(tenant.Id, tenant.Kind, member.Role, context.RequestAborted)).Append(OpenIddictConstants.Scopes.OfflineAccess);
        identity.SetScopes(principal.GetScopes().Intersect(held, StringComparer.Ordinal));
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static string QueryOf(OpenIddictRequest request) =>
        QueryString.Create(request.GetParameters().Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))).ToUriComponent();

    private const string AntiforgeryFieldName = "__RequestVerificationToken";

    private static string AntiforgeryField(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{Encode(tokens.FormFieldName)}\" value=\"{Encode(tokens.RequestToken)}\">";
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static IResult WithStatus(IResult page, int status) => page is ContentHttpResultWithStatus ? page : new ContentHttpResultWithStatus(page, status);

    // formTarget: an origin the page's form may end at after redirects (consent: the client's), beside the platform.
    // The document around the body is the host's frame (the portal's look when there is a portal).
    private static Common.HtmlPage Page(HttpContext context, string title, string body, string? formTarget = null) =>
        new(context.RequestServices.GetRequiredService<Common.IHtmlPageFrame>().Document(context, title, body), formTarget is null ? null : [formTarget]);

    private sealed class ContentHttpResultWithStatus(IResult inner, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
