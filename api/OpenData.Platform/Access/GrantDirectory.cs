using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Access;

/// <summary>
/// The read path's view of grants (<see cref="IGrantSource"/>). A tenant's grants for a dataset are cached per node for
/// <c>OpenData:Access:GrantCacheSeconds</c> (1 s); a change made on the node drops its entry at once, and on PostgreSQL other nodes' entries at once too (NOTIFY). Expiry is judged
/// against the clock on every request, so an expired grant stops the very next read; a grant naming an app serves that
/// app's tokens only. The grant read carries the linkage domains its owner approved.
/// </summary>
internal sealed class GrantDirectory : IGrantSource
{
    /// <summary>What other nodes are told to forget (<see cref="Storage.CacheSignals"/>): a tenant's grants on a dataset, <c>{tenant}|{datasetKey}</c>.</summary>
    public const string Signal = "grants";

    private readonly AccessStore store;
    private readonly TimeProvider clock;
    private readonly Storage.CacheSignals signals;
    private readonly ConcurrentDictionary<(string Tenant, long Dataset), (List<GrantRow> Grants, bool Pending, long Expires)> _cache = new();
    private readonly double _ttlSeconds;
    private long _generation;

    public GrantDirectory(AccessStore store, TimeProvider clock, IOptions<AccessOptions> options, Storage.CacheSignals signals)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signals);
        this.store = store;
        this.clock = clock;
        this.signals = signals;
        _ttlSeconds = options.Value.GrantCacheSeconds;
        signals.Subscribe(Signal, ForgetHere);
    }

    public async ValueTask<AccessGrant> FindAsync(ClaimsPrincipal caller, string tenantId, DatasetSchema dataset, CancellationToken cancellationToken)
    {
        var key = (tenantId, dataset.Key);
        var now = clock.GetTimestamp();
        if (!_cache.TryGetValue(key, out var entry) || entry.Expires < now)
        {
            var generation = Interlocked.Read(ref _generation);
            var (grants, pending) = await store.ForReadAsync(tenantId, dataset.Key, AccessKind.Records, cancellationToken);
            entry = (grants, pending, now + (long)(_ttlSeconds * clock.TimestampFrequency));
            // A forget that arrived while this read ran may be about what it read: then it is not kept.
            if (Interlocked.Read(ref _generation) == generation)
            {
                _cache[key] = entry;
            }
        }
        var app = caller.FindFirst(PlatformClaims.ClientId)?.Value;
        var at = clock.GetUtcNow();
        var grant = entry.Grants.Find(g => g.ExpiresAt > at && (g.AppId is null || string.Equals(g.AppId, app, StringComparison.Ordinal)));
        if (grant is null)
        {
            return entry.Pending ? new AccessGrant(false, true, null) : AccessGrant.None;
        }
        var columns = AccessRequestRow.List(grant.Columns);
        return new AccessGrant(true, entry.Pending, columns is null ? null : new HashSet<string>(columns, StringComparer.Ordinal))
        {
            Linkage = new HashSet<string>(AccessRequestRow.List(grant.Linkage) ?? [], StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// The id of the caller's active <c>verify</c> grant on a dataset (one naming an app serves that app's tokens only), or null.
    /// Looked up on every call, uncached: a verification call is small and a revocation stops the very next one.
    /// </summary>
    public async Task<string?> VerifyGrantAsync(ClaimsPrincipal caller, string tenantId, long datasetKey, CancellationToken cancellationToken)
    {
        var (grants, _) = await store.ForReadAsync(tenantId, datasetKey, AccessKind.Verify, cancellationToken);
        var app = caller.FindFirst(PlatformClaims.ClientId)?.Value;
        var at = clock.GetUtcNow();
        return grants.Find(g => g.ExpiresAt > at && (g.AppId is null || string.Equals(g.AppId, app, StringComparison.Ordinal)))?.Id;
    }

    /// <summary>The next read of <paramref name="tenantId"/> on this node looks its grants up again; so does the next on other nodes (on PostgreSQL at once).</summary>
    public void Forget(string tenantId, long datasetKey)
    {
        Interlocked.Increment(ref _generation);
        _cache.TryRemove((tenantId, datasetKey), out _);
        signals.Send(Signal, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{tenantId}|{datasetKey}"));
    }

    /// <summary>Another node's signal: forget one tenant's grants on one dataset, or all of them (null).</summary>
    private void ForgetHere(string? key)
    {
        Interlocked.Increment(ref _generation);
        var split = key?.LastIndexOf('|') ?? -1;
        if (key is null || split < 0 || !long.TryParse(key.AsSpan(split + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var datasetKey))
        {
            _cache.Clear();
            return;
        }
        _cache.TryRemove((key[..split], datasetKey), out _);
    }
}
