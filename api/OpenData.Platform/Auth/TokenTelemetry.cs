using System.Diagnostics.Metrics;
using OpenData.Platform.Common;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenData.Platform.Auth;

/// <summary>
/// Tokens issued and refused by the token endpoint, by grant type (one of the grants the platform knows, else <c>other</c>) and,
/// for a refusal, the OAuth error (one of RFC 6749's words, else <c>other</c>): never a client id. Runs as OpenIddict's last
/// handler of the token response, which sees every answer of the endpoint, issued or refused.
/// </summary>
internal sealed class TokenTelemetry : IOpenIddictServerHandler<OpenIddictServerEvents.ApplyTokenResponseContext>
{
    public static readonly Counter<long> Issued = PlatformTelemetry.Meter.CreateCounter<long>("opendata.tokens.issued", "{token}",
        "Access tokens issued by the token endpoint, by grant type");

    public static readonly Counter<long> Refused = PlatformTelemetry.Meter.CreateCounter<long>("opendata.tokens.refused", "{request}",
        "Token requests refused by the token endpoint, by grant type and OAuth error");

    private static readonly string[] Grants = [GrantTypes.ClientCredentials, GrantTypes.AuthorizationCode, GrantTypes.RefreshToken];

    private static readonly string[] OAuthErrors =
    [
        Errors.InvalidClient, Errors.InvalidGrant, Errors.InvalidRequest,
        Errors.InvalidScope, Errors.UnauthorizedClient, Errors.UnsupportedGrantType,
        Errors.AccessDenied, Errors.ServerError, Errors.TemporarilyUnavailable,
    ];

    public ValueTask HandleAsync(OpenIddictServerEvents.ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var grant = new KeyValuePair<string, object?>("grant_type", Known(Grants, context.Request?.GrantType));
        if (!string.IsNullOrEmpty(context.Response.AccessToken))
        {
            Issued.Add(1, grant);
        }
        else
        {
            Refused.Add(1, grant, new KeyValuePair<string, object?>("error", Known(OAuthErrors, context.Response.Error)));
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The word as the platform spells it when it is one of <paramref name="words"/>, else <c>other</c>: a caller's text never becomes a label.</summary>
    private static string Known(string[] words, string? value)
    {
        foreach (var word in words)
        {
            if (string.Equals(word, value, StringComparison.Ordinal))
            {
                return word;
            }
        }
        return "other";
    }
}
