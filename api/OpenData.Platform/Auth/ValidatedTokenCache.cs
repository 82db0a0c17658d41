using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using OpenIddict.Abstractions;
using OpenIddict.Validation;

namespace OpenData.Platform.Auth;

/// <summary>
/// Remembers, per node, the principal of an access token whose signature was already verified, keyed by the token's
/// SHA-256, until <c>min(exp, 60 s)</c>: a client sending the same token again skips the signature check. Revocation and
/// disabling are still checked on every request (<see cref="TokenChecks"/> runs after this), and expiry still applies.
/// </summary>
internal sealed class ValidatedTokenCache(TimeProvider clock) :
    IOpenIddictValidationHandler<OpenIddictValidationEvents.ValidateTokenContext>
{
    private const int MaxEntries = 20_000;
    private static readonly KeyValuePair<string, object?> CacheLabel = new("cache", "token");
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, (ClaimsPrincipal Principal, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    private DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Runs first: a known token gets its principal back, and OpenIddict skips reading the token again.</summary>
    public ValueTask HandleAsync(OpenIddictValidationEvents.ValidateTokenContext context)
    {
        if (context.Principal is null && context.Token is { Length: > 0 } token)
        {
            var hit = _entries.TryGetValue(Key(token), out var entry) && entry.Until > clock.GetUtcNow();
            Common.PlatformTelemetry.CacheLookup(CacheLabel, hit);
            if (hit)
            {
                context.Principal = entry.Principal.Clone();
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs last: remembers a token that passed every check.</summary>
    internal sealed class Store(ValidatedTokenCache cache) : IOpenIddictValidationHandler<OpenIddictValidationEvents.ValidateTokenContext>
    {
        public ValueTask HandleAsync(OpenIddictValidationEvents.ValidateTokenContext context)
        {
            if (!context.IsRejected && context.Principal is { } principal && context.Token is { Length: > 0 } token)
            {
                var now = cache.Now;
                var until = principal.GetExpirationDate() is { } exp && exp < now + MaxAge ? exp : now + MaxAge;
                if (cache._entries.Count >= MaxEntries)
                {
                    cache._entries.Clear();
                }
                cache._entries[Key(token)] = (principal.Clone(), until);
            }
            return ValueTask.CompletedTask;
        }
    }

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
