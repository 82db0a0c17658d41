using System.Collections.Concurrent;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Identity;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Storage;
using OpenData.Platform.Tenancy;

namespace OpenData.Platform.Marketplace.Providers;

/// <summary>
/// What a provider licence brings beyond the marketplace, answered from <c>provider_licences</c>: a consumer tenant whose licence
/// is in force holds <c>datasets:write</c> and <c>access:review</c> (<see cref="ITenantScopeSource"/>: its admins, developers and
/// apps publish derived datasets and decide the access requests on them), and the catalogue learns whether a publisher is a
/// provider in force or revoked (<see cref="IPublisherLicences"/>). Each tenant's licence is cached on this node for
/// <see cref="CacheFor"/>, forgotten at once here when the operator changes it and on other nodes by a cache signal (PostgreSQL),
/// so token issuance and console requests do not read the store each time.
/// </summary>
internal sealed class ProviderStanding : ITenantScopeSource, IPublisherLicences
{
    /// <summary>What other nodes are told to forget (<see cref="CacheSignals"/>): a tenant's licence, keyed by tenant id.</summary>
    public const string Signal = "provider-licences";

    /// <summary>How long a node trusts what it read of a licence when no signal reaches it (SQLite, a lost signal).</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>The scopes a licence in force adds to a consumer tenant's.</summary>
    public static readonly IReadOnlyList<string> LicensedScopes = [Scopes.DatasetsWrite, Scopes.AccessReview];

    private readonly ProductStore _store;
    private readonly TimeProvider _clock;
    private readonly CacheSignals _signals;
    private readonly ConcurrentDictionary<string, (PublisherLicence Licence, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public ProviderStanding(ProductStore store, TimeProvider clock, CacheSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        _store = store;
        _clock = clock;
        _signals = signals;
        signals.Subscribe(Signal, Forget);
    }

    public async ValueTask<IReadOnlyList<string>> ExtraScopesAsync(string tenantId, string kind, CancellationToken cancellationToken) =>
        kind == "consumer" && await OfAsync(tenantId, cancellationToken) == PublisherLicence.InForce ? LicensedScopes : [];

    public async ValueTask<PublisherLicence> OfAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (_cache.TryGetValue(tenantId, out var cached) && cached.Until > now)
        {
            return cached.Licence;
        }
        var row = await _store.LicenceAsync(tenantId, cancellationToken);
        var licence = row is null ? PublisherLicence.None : row.RevokedAt is null ? PublisherLicence.InForce : PublisherLicence.Revoked;
        _cache[tenantId] = (licence, now + CacheFor);
        return licence;
    }

    /// <summary>The operator licensed or revoked <paramref name="tenantId"/>: this node forgets at once, the others when signalled.</summary>
    public void Changed(string tenantId)
    {
        Forget(tenantId);
        _signals.Send(Signal, tenantId);
    }

    private void Forget(string? tenantId)
    {
        if (tenantId is null)
        {
            _cache.Clear();
        }
        else
        {
            _cache.TryRemove(tenantId, out _);
        }
    }
}
