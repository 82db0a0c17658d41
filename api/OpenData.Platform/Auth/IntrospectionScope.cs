using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenData.Platform.Auth;

/// <summary>An app may introspect only its own tokens: another app's token reads as inactive (RFC 7662 §2.2 leaves this to the server).</summary>
internal sealed class IntrospectionScope : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateIntrospectionRequestContext>
{
    public ValueTask HandleAsync(OpenIddictServerEvents.ValidateIntrospectionRequestContext context)
    {
        var owner = context.GenericTokenPrincipal?.GetClaim(Claims.ClientId) ?? context.GenericTokenPrincipal?.GetPresenters().FirstOrDefault();
        if (owner is not null && !string.Equals(owner, context.ClientId, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidToken, "the token was not issued to this client");
        }
        return ValueTask.CompletedTask;
    }
}
