using Dapper;
using Microsoft.Extensions.Options;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Auth;

/// <summary>
/// What makes a signed token void before it expires: its id revoked, its app disabled, or its tenant disabled; and the bounds in force of
/// each bound app (<see cref="Tenancy.AppBounds"/>), which its tokens are read under whatever they say. Each node keeps these in
/// memory and reloads them from the store at most <c>OpenData:Auth:VoidCheckSeconds</c> (default 1) after the last load;
/// changes made on this node apply at once, changes on other nodes within that bound (on PostgreSQL at once: the node that made
/// the change tells the others through <see cref="CacheSignals"/>). 0 reads the store on every request.
/// </summary>
internal sealed class TokenState : IDisposable, Tenancy.IAppDisabledNotice, Tenancy.ITenantDisabledNotice, Tenancy.IAppBoundsNotice
{
    /// <summary>What other nodes are told to forget (<see cref="CacheSignals"/>): the whole snapshot.</summary>
    public const string Signal = "tokens";

    private readonly Database database;
    private readonly Tenancy.TenancyStore tenancy;
    private readonly TimeProvider clock;
    private readonly CacheSignals signals;
    private readonly TimeSpan _refresh;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;
    private long _generation;

    public TokenState(Database database, Tenancy.TenancyStore tenancy, IOptions<AuthOptions> options, TimeProvider clock, CacheSignals signals)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signals);
        this.database = database;
        this.tenancy = tenancy;
        this.clock = clock;
        this.signals = signals;
        _refresh = TimeSpan.FromSeconds(options.Value.VoidCheckSeconds);
        signals.Subscribe(Signal, _ => Drop());
    }

    // LoadedAt times the reload; ReadFrom is the wall-clock time before its first query: what it holds is at least that recent.
    private sealed record Snapshot(HashSet<string> Revoked, HashSet<string> Disabled, HashSet<string> DisabledTenants,
        Dictionary<string, Tenancy.AppBounds> Bounds, long LoadedAt, DateTimeOffset ReadFrom);

    public async Task<string?> WhyVoidAsync(string? jti, string? clientId, string? tenant, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        if (jti is not null && snapshot.Revoked.Contains(jti))
        {
            return "The token was revoked.";
        }
        if (tenant is not null && snapshot.DisabledTenants.Contains(tenant))
        {
            return "The tenant is disabled.";
        }
        return clientId is not null && snapshot.Disabled.Contains(clientId) ? "The app is disabled." : null;
    }

    /// <summary>
    /// The bounds in force of the app of this client id (<see cref="Tenancy.AppBounds.None"/> for an unbound app, or none), for a
    /// token issued at <paramref name="issuedAt"/> (<c>iat</c>, whole seconds) that says <paramref name="stated"/>. When the two
    /// agree, or the snapshot was read after the token was issued, the snapshot answers. Otherwise the token may be the newer (the
    /// app was bound on another node since this one's last reload) and the store answers for this app: never a stale snapshot
    /// taking a bound app's bounds off its token.
    /// </summary>
    public async Task<Tenancy.AppBounds> BoundsInForceAsync(string? clientId, Tenancy.AppBounds stated, DateTimeOffset? issuedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stated);
        if (clientId is null)
        {
            return Tenancy.AppBounds.None;
        }
        var snapshot = await CurrentAsync(cancellationToken);
        var known = snapshot.Bounds.GetValueOrDefault(clientId, Tenancy.AppBounds.None);
        if (known.SameAs(stated) || (issuedAt is { } issued && snapshot.ReadFrom >= issued.AddSeconds(1)))
        {
            return known;
        }
        return (await tenancy.AppByClientIdAsync(clientId, cancellationToken))?.Bounds ?? Tenancy.AppBounds.None;
    }

    /// <summary>Whether an operator disabled the tenant (its people's sign-in cookies then stop working).</summary>
    public async Task<bool> IsTenantDisabledAsync(string tenant, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).DisabledTenants.Contains(tenant);

    /// <summary>Records a code or refresh token as used; false when it was used before (a replay).</summary>
    public async Task<bool> TryRedeemAsync(string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO redeemed_tokens (jti, expires_at) VALUES (@jti, @expiresAt) ON CONFLICT (jti) DO NOTHING",
            new { jti, expiresAt }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task RevokeAsync(string jti, string reason, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO revoked_tokens (jti, reason, expires_at) VALUES (@jti, @reason, @expiresAt) ON CONFLICT (jti) DO NOTHING",
            new { jti, reason, expiresAt }, cancellationToken: cancellationToken));
        Forget();
    }

    public void Dispose() => _loading.Dispose();

    /// <summary>Called after an app was disabled on this node, so its tokens fail here on the very next request.</summary>
    public void Forget()
    {
        Drop();
        signals.Send(Signal, "");
    }

    /// <summary>Drops the snapshot; one being read at this moment is not kept either (it may predate the change).</summary>
    private void Drop()
    {
        Interlocked.Increment(ref _generation);
        _snapshot = null;
    }

    void Tenancy.IAppDisabledNotice.AppDisabled(string appId) => Forget();

    void Tenancy.ITenantDisabledNotice.TenantDisabledChanged(string tenantId) => Forget();

    void Tenancy.IAppBoundsNotice.AppBoundsChanged(string appId) => Forget();

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        var snapshot = _snapshot;
        if (snapshot is not null && clock.GetElapsedTime(snapshot.LoadedAt, now) < _refresh)
        {
            return snapshot;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && clock.GetElapsedTime(snapshot.LoadedAt, now) < _refresh)
            {
                return snapshot;
            }
            var generation = Interlocked.Read(ref _generation);
            var readFrom = clock.GetUtcNow();
            await using var connection = await database.OpenAsync(cancellationToken);
            var revoked = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT jti FROM revoked_tokens WHERE expires_at > @now", new { now = clock.GetUtcNow() }, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
            var disabled = await tenancy.DisabledClientIdsAsync(cancellationToken);
            var disabledTenants = await tenancy.DisabledTenantIdsAsync(cancellationToken);
            var bounds = await tenancy.BoundAppsAsync(cancellationToken);
            snapshot = new Snapshot(revoked, disabled, disabledTenants, bounds, clock.GetTimestamp(), readFrom);
            if (Interlocked.Read(ref _generation) == generation)
            {
                _snapshot = snapshot;
            }
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }
}
