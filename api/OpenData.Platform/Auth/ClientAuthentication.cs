using OpenData.Platform.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenData.Platform.Auth;

/// <summary>
/// Degraded mode checks nothing about clients by itself: this handler does, for the token, introspection and revocation
/// endpoints — the app exists and is enabled (and so is its tenant), the secret matches its hash, the grant and every requested scope are allowed.
/// </summary>
internal sealed class ClientAuthentication(TenancyStore apps, FailureThrottle throttle) :
    IOpenIddictServerHandler<ValidateTokenRequestContext>,
    IOpenIddictServerHandler<ValidateIntrospectionRequestContext>,
    IOpenIddictServerHandler<ValidateRevocationRequestContext>
{
    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var app = await AuthenticateAsync(context, context.ClientId, context.ClientSecret);
        if (app is null)
        {
            return;
        }
        var codeFlowApp = app.RedirectUris.Length > 0;
        if (!context.Request.IsClientCredentialsGrantType() && !(codeFlowApp && (context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType())))
        {
            context.Reject(Errors.UnauthorizedClient, "this app may use client_credentials; authorization_code and refresh_token need a registered redirect URI");
            return;
        }
        if (!context.Request.IsClientCredentialsGrantType())
        {
            return; // the code or refresh token carries the scopes that were granted
        }
        var allowed = app.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var refused = context.Request.GetScopes().Except(allowed, StringComparer.Ordinal).ToList();
        if (refused.Count > 0)
        {
            context.Reject(Errors.InvalidScope, $"this app may not request: {string.Join(' ', refused)} (allowed: {string.Join(' ', allowed)})");
        }
    }

    public async ValueTask HandleAsync(ValidateIntrospectionRequestContext context) =>
        await AuthenticateAsync(context, context.ClientId, context.ClientSecret);

    public async ValueTask HandleAsync(ValidateRevocationRequestContext context) =>
        await AuthenticateAsync(context, context.ClientId, context.ClientSecret);

    /// <summary>
    /// The app, if the secret is right; guessing secrets is slowed per address, per client id and address, and per client id
    /// (<see cref="FailureThrottle"/>), with a Retry-After once an address has failed too often.
    /// </summary>
    private async Task<AppRow?> AuthenticateAsync(BaseValidatingContext context, string? clientId, string? secret)
    {
        var http = context.Transaction.GetHttpRequest()?.HttpContext;
        var address = http?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var id = clientId ?? "";
        FailureThrottle.Key[] keys =
        [
            new("client-address:" + address, TimeSpan.FromSeconds(2), Serialised: true),
            new("client-id-address:" + id + "|" + address, TimeSpan.FromSeconds(30), Serialised: true),
            new("client-id:" + id, TimeSpan.FromSeconds(1), Serialised: false),
        ];
        if (await throttle.WaitTurnAsync(keys, context.CancellationToken) is { } retryAfter)
        {
            var seconds = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            http?.Response.Headers.RetryAfter = seconds;
            context.Reject(Errors.InvalidClient, $"too many failed client authentications from here: try again in {seconds} s");
            return null;
        }
        var app = clientId is null ? null : await apps.AppByClientIdAsync(clientId, context.CancellationToken);
        if (app is null || !app.Usable || !ClientSecrets.Matches(secret, app.SecretHash))
        {
            throttle.Failed(keys);
            context.Reject(Errors.InvalidClient, "client authentication failed: check client_id and client_secret, and that the app and its tenant are enabled");
            return null;
        }
        return app;
    }
}
