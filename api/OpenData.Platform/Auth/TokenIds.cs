using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenData.Platform.Auth;

/// <summary>In degraded mode codes and refresh tokens carry no id: give each one, so it can be redeemed once and revoked.</summary>
internal sealed class TokenIds : IOpenIddictServerHandler<OpenIddictServerEvents.ProcessSignInContext>
{
    public ValueTask HandleAsync(OpenIddictServerEvents.ProcessSignInContext context)
    {
        context.AuthorizationCodePrincipal?.SetClaim(Claims.JwtId, Guid.NewGuid().ToString("N"));
        context.RefreshTokenPrincipal?.SetClaim(Claims.JwtId, Guid.NewGuid().ToString("N"));
        return ValueTask.CompletedTask;
    }
}
