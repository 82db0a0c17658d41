using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenData.Platform.Auth;

/// <summary>Rejects a revoked token or one whose app was disabled, on the API (validation) and at the token server (introspection).</summary>
internal sealed class TokenChecks(TokenState state) :
    IOpenIddictValidationHandler<OpenIddictValidationEvents.ValidateTokenContext>,
    IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenContext>
{
    public async ValueTask HandleAsync(OpenIddictValidationEvents.ValidateTokenContext context)
    {
        if (context.Principal is not null && await WhyVoidAsync(context.Principal, context.CancellationToken) is { } reason)
        {
            context.Reject(Errors.InvalidToken, reason);
        }
    }

    public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenContext context)
    {
        if (context.Principal is null)
        {
            return;
        }
        if (await WhyVoidAsync(context.Principal, context.CancellationToken) is { } reason)
        {
            context.Reject(Errors.InvalidToken, reason);
            return;
        }
        // Degraded mode keeps no token table: codes and refresh tokens are made single-use here, and only when they are
        // exchanged at the token endpoint (introspecting one must not use it up).
        if (context.EndpointType == OpenIddictServerEndpointType.Token
            && context.Principal.GetTokenType() is TokenTypeIdentifiers.Private.AuthorizationCode or TokenTypeIdentifiers.RefreshToken
            && context.Principal.GetClaim(Claims.JwtId) is { } jti
            && !await state.TryRedeemAsync(jti, context.Principal.GetExpirationDate() ?? DateTimeOffset.UtcNow.AddDays(30), context.CancellationToken))
        {
            context.Reject(Errors.InvalidGrant, "the code or refresh token was used already");
        }
    }

    private Task<string?> WhyVoidAsync(System.Security.Claims.ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        state.WhyVoidAsync(principal.GetClaim(Claims.JwtId), principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault(), cancellationToken);
}
