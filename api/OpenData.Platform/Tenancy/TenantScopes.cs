namespace OpenData.Platform.Tenancy;

/// <summary>
/// What a tenant's people and apps may hold as the tenant stands now: its kind's scopes (<see cref="TenantRoles"/>) and the extra
/// ones its <see cref="ITenantScopeSource"/>s grant (a provider licence in force). Token issuance, app creation and the console
/// ask here, so a licence revoked stops granting at once to every new token and check; tokens already issued run out.
/// </summary>
internal sealed class TenantScopes(IEnumerable<ITenantScopeSource> sources)
{
    private readonly ITenantScopeSource[] _sources = [.. sources];

    /// <summary>The scopes an app or person of the tenant may hold now.</summary>
    public async ValueTask<IReadOnlyList<string>> AllowedAsync(string tenantId, string kind, CancellationToken cancellationToken) =>
        TenantRoles.AllowedScopes(kind, await ExtraAsync(tenantId, kind, cancellationToken));

    /// <summary>The scopes a person with <paramref name="role"/> holds in the tenant now.</summary>
    public async ValueTask<IReadOnlyList<string>> OfAsync(string tenantId, string kind, string role, CancellationToken cancellationToken) =>
        TenantRoles.ScopesOf(kind, role, await ExtraAsync(tenantId, kind, cancellationToken));

    /// <summary>Those of an app's <paramref name="scopes"/> (space-separated, as stored) its tenant may still hold: the ones a revoked licence brought drop out.</summary>
    public async ValueTask<IReadOnlyList<string>> HeldByAppAsync(string scopes, string tenantId, string kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var allowed = await AllowedAsync(tenantId, kind, cancellationToken);
        return [.. scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(allowed.Contains)];
    }

    /// <summary>The scopes the tenant holds now beyond its kind's.</summary>
    public async ValueTask<IReadOnlyList<string>> ExtraAsync(string tenantId, string kind, CancellationToken cancellationToken)
    {
        if (_sources.Length == 0)
        {
            return [];
        }
        var extra = new List<string>();
        foreach (var source in _sources)
        {
            extra.AddRange(await source.ExtraScopesAsync(tenantId, kind, cancellationToken));
        }
        return extra;
    }
}
