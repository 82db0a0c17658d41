using OpenData.Platform.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenData.Platform.Auth;

/// <summary>
/// Degraded mode checks nothing about clients by itself: this handler does, for the token, introspection and revocation
/// endpoints — the app exists and is enabled, the secret matches its hash, the grant and every requested scope are allowed.
/// </summary>
internal sealed class ClientAuthentication(TenancyStore apps) :
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

    private async Task<AppRow?> AuthenticateAsync(BaseValidatingContext context, string? clientId, string? secret)
    {
        var app = clientId is null ? null : await apps.AppByClientIdAsync(clientId, context.CancellationToken);
        if (app is null || app.DisabledAt is not null || !ClientSecrets.Matches(secret, app.SecretHash))
        {
            context.Reject(Errors.InvalidClient, "client authentication failed: check client_id and client_secret, and that the app is enabled");
            return null;
        }
        return app;
    }
}
