using Dapper;
using Microsoft.Extensions.Options;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Auth;

/// <summary>
/// What makes a signed token void before it expires: its id revoked, its app disabled, or its tenant disabled. Each node keeps both sets in
/// memory and reloads them from the store at most <c>OpenData:Auth:VoidCheckSeconds</c> (default 1) after the last load;
/// changes made on this node apply at once, changes on other nodes within that bound. 0 reads the store on every request.
/// </summary>
internal sealed class TokenState(Database database, Tenancy.TenancyStore tenancy, IOptions<AuthOptions> options, TimeProvider clock) : IDisposable, Tenancy.IAppDisabledNotice, Tenancy.ITenantDisabledNotice
{
    private readonly TimeSpan _refresh = TimeSpan.FromSeconds(options.Value.VoidCheckSeconds);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(HashSet<string> Revoked, HashSet<string> Disabled, HashSet<string> DisabledTenants, long LoadedAt);

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
        _snapshot = null;
    }

    public void Dispose() => _loading.Dispose();

    /// <summary>Called after an app was disabled on this node, so its tokens fail here on the very next request.</summary>
    public void Forget() => _snapshot = null;

    void Tenancy.IAppDisabledNotice.AppDisabled(string appId) => Forget();

    void Tenancy.ITenantDisabledNotice.TenantDisabledChanged(string tenantId) => Forget();

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
            await using var connection = await database.OpenAsync(cancellationToken);
            var revoked = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT jti FROM revoked_tokens WHERE expires_at > @now", new { now = clock.GetUtcNow() }, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
            var disabled = await tenancy.DisabledClientIdsAsync(cancellationToken);
            var disabledTenants = await tenancy.DisabledTenantIdsAsync(cancellationToken);
            snapshot = new Snapshot(revoked, disabled, disabledTenants, clock.GetTimestamp());
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }
}
