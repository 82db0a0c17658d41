using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenData.Platform.Auth;

/// <summary>The token endpoint's own part (OpenIddict passthrough): who the token speaks for, once the client is authenticated.</summary>
internal static class TokenEndpoints
{
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/connect/token", IssueTokenAsync).WithName("IssueToken").WithTags("Identity").AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    internal static async Task<IResult> IssueTokenAsync(HttpContext context, TenancyStore store, TenantScopes tenantScopes, TokenState tokens, TimeProvider clock)
    {
        using var span = Common.PlatformTelemetry.Source.StartActivity("token.issue");
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("the OpenIddict request is missing: is the server middleware registered?");
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            return await SignInEndpoints.ExchangeAsync(context, store, tenantScopes, tokens, clock);
        }
        // ClientAuthentication has checked the secret, the grant and the scopes before this runs.
        var app = (await store.AppByClientIdAsync(request.ClientId!, context.RequestAborted))!;
        // The app's scopes its tenant may still hold: those a revoked provider licence brought drop out of every new token
        // (asked for or not), while the app keeps them on record should the licence return.
        var allowed = await tenantScopes.HeldByAppAsync(app.Scopes, app.TenantId, app.TenantKind, context.RequestAborted);
        var scopes = request.GetScopes().IsDefaultOrEmpty ? [.. allowed] : request.GetScopes().Where(allowed.Contains).ToArray();
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, app.ClientId)
            .SetClaim(Claims.Name, app.Name)
            .SetClaim(PlatformClaims.Tenant, app.TenantId)
            .SetClaim(PlatformClaims.Environment, app.Environment)
            .SetClaim(Claims.JwtId, Guid.NewGuid().ToString("N"));
        // A bound app's token says so (the API reads it under the bounds in force, which TokenChecks looks up on each request).
        var bounds = app.Bounds;
        identity.SetBounds(bounds.Plan, bounds.Datasets);
        identity.SetScopes(scopes);
        identity.SetResources(TokenChecks.Audience);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
