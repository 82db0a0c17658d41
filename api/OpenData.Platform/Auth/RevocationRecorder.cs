using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenData.Platform.Auth;

/// <summary>Degraded mode has no token table, so revoking (RFC 7009) records the token's id; every later use is refused.</summary>
internal sealed class RevocationRecorder(TokenState state, TimeProvider clock) : IOpenIddictServerHandler<OpenIddictServerEvents.HandleRevocationRequestContext>
{
    public async ValueTask HandleAsync(OpenIddictServerEvents.HandleRevocationRequestContext context)
    {
        var principal = context.GenericTokenPrincipal;
        var jti = principal?.GetClaim(Claims.JwtId);
        if (jti is not null)
        {
            await state.RevokeAsync(jti, "revoked by its client", principal!.GetExpirationDate() ?? clock.GetUtcNow().AddDays(1), context.CancellationToken);
        }
    }
}
