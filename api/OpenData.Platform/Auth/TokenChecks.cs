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
        if (context.Principal is not null && await WhyVoidAsync(context.Principal, context.CancellationToken) is { } reason)
        {
            context.Reject(Errors.InvalidToken, reason);
        }
    }

    private Task<string?> WhyVoidAsync(System.Security.Claims.ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        state.WhyVoidAsync(principal.GetClaim(Claims.JwtId), principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault(), cancellationToken);
}
