using OpenData.Platform.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenData.Platform.Auth;

/// <summary>
/// Rejects a revoked token or one whose app or tenant was disabled, on the API (validation) and at the token server (introspection);
/// on the API also a token without an expiry, one not valid yet (<c>nbf</c> ahead), or one meant for another audience. These
/// run on every request, for tokens whose signature <see cref="ValidatedTokenCache"/> remembers too. On the API a token is then
/// read under its app's bounds in force (<see cref="Tenancy.AppBounds"/>), not those it was issued with: a change of bounds applies
/// from the next request, not the next token.
/// </summary>
internal sealed class TokenChecks(TokenState state) :
    IOpenIddictValidationHandler<OpenIddictValidationEvents.ValidateTokenContext>,
    IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenContext>
{
    /// <summary>The audience of every access token the platform issues: its API.</summary>
    public const string Audience = "opendata";

    /// <summary>How far a token's not-before may lie ahead of this node's clock (clocks of nodes differ a little).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    public async ValueTask HandleAsync(OpenIddictValidationEvents.ValidateTokenContext context)
    {
        if (context.Principal is not { } principal)
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        if (principal.GetExpirationDate() is null)
        {
            context.Reject(Errors.InvalidToken, "The token has no expiry.");
            return;
        }
        if (principal.GetClaim(Claims.NotBefore) is { } nbf && long.TryParse(nbf, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var notBefore)
            && DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(notBefore, 0, 253402300799)) > now + Skew)
        {
            context.Reject(Errors.InvalidToken, "The token is not valid yet.");
            return;
        }
        if (!principal.GetAudiences().Contains(Audience, StringComparer.Ordinal))
        {
            context.Reject(Errors.InvalidToken, "The token is not meant for this API.");
            return;
        }
        if (await WhyVoidAsync(principal, context.CancellationToken) is { } reason)
        {
            context.Reject(Errors.InvalidToken, reason);
            return;
        }
        if (principal.Identity is System.Security.Claims.ClaimsIdentity identity)
        {
            var stated = new Tenancy.AppBounds(principal.AppPlan(), principal.DatasetScope()?.ToList());
            var bounds = await state.BoundsInForceAsync(ClientIdOf(principal), stated, principal.GetCreationDate(), context.CancellationToken);
            if (!bounds.SameAs(stated))
            {
                // Only a token whose app's bounds changed since it was issued is rewritten (most requests: no claim touched).
                identity.SetBounds(bounds.Plan, bounds.Datasets);
            }
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
        }
        // Codes and refresh tokens are used up in SignInEndpoints.ExchangeAsync, after client authentication, PKCE, the
        // redirect URI and the scopes have all passed: a failed exchange must not burn the legitimate client's code.
    }

    private Task<string?> WhyVoidAsync(System.Security.Claims.ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        state.WhyVoidAsync(principal.GetClaim(Claims.JwtId), ClientIdOf(principal), principal.GetClaim(PlatformClaims.Tenant), cancellationToken);

    private static string? ClientIdOf(System.Security.Claims.ClaimsPrincipal principal) =>
        principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
}
