namespace OpenData.Platform.Quotas;

/// <summary>
/// Where a tenant's plan and its overrides are kept (Tenancy owns the <c>tenants</c> table and answers this): Quotas asks, and never
/// reads another module's table.
/// </summary>
internal interface ITenantPlanSource
{
    /// <summary>The tenant's plan name and limit overrides, or null when the store does not know the tenant.</summary>
    ValueTask<TenantPlan?> FindPlanAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>A tenant's plan and the limits set for it alone.</summary>
internal sealed record TenantPlan(string Plan, IReadOnlyDictionary<string, long>? Overrides);
