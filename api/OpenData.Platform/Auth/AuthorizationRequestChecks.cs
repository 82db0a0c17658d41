using OpenData.Platform.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenData.Platform.Auth;

/// <summary>Checks an authorisation request (code flow): a known, enabled app (of an enabled tenant), a registered redirect URI, scopes the app may hold.</summary>
internal sealed class AuthorizationRequestChecks(TenancyStore apps) : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>
{
    public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateAuthorizationRequestContext context)
    {
        var app = context.ClientId is null ? null : await apps.AppByClientIdAsync(context.ClientId, context.CancellationToken);
        if (app is null || !app.Usable)
        {
            context.Reject(Errors.InvalidClient, "unknown or disabled client_id");
            return;
        }
        var redirects = app.RedirectUris.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (context.RedirectUri is null || !redirects.Contains(context.RedirectUri, StringComparer.Ordinal))
        {
            context.Reject(Errors.InvalidRequest, "redirect_uri is not one registered for this app");
            return;
        }
        context.SetRedirectUri(context.RedirectUri);
        var allowed = app.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(OpenIddictConstants.Scopes.OfflineAccess);
        var refused = context.Request.GetScopes().Except(allowed, StringComparer.Ordinal).ToList();
        if (refused.Count > 0)
        {
            context.Reject(Errors.InvalidScope, $"this app may not request: {string.Join(' ', refused)}");
        }
    }
}
