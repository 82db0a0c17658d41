namespace OpenData.Platform.Tenancy;

/// <summary>
/// Scopes a tenant holds now beyond what its kind brings (<see cref="TenantRoles"/>): a consumer the operator licensed as a data
/// service provider publishes and reviews (the Marketplace module answers). Tenancy asks and never reads another module's table;
/// an answer is asked for on every token issued and every console request, so a source answers from a short cache.
/// </summary>
internal interface ITenantScopeSource
{
    /// <summary>The extra scopes <paramref name="tenantId"/>, a tenant of <paramref name="kind"/>, holds at this moment (empty: none).</summary>
    ValueTask<IReadOnlyList<string>> ExtraScopesAsync(string tenantId, string kind, CancellationToken cancellationToken);
}
