using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Quotas;

/// <summary>
/// Resolves the caller of a metered request to its <see cref="QuotaSubject"/>. A tenant's plan and overrides are cached per
/// node for <see cref="QuotaOptions.TenantCacheSeconds"/>; <see cref="Forget"/> drops a tenant at once after a change.
/// A token whose tenant the store does not know counts under the free plan. A bound app's token (its own <c>plan</c>, see
/// <see cref="PlatformClaims.AppPlan"/>) counts apart from its tenant, under <c>a:{clientId}</c> and that plan's limits
/// (no tenant overrides): a contest team's usage never spends its tenant's allowance, nor the other way round. Its usage is
/// still its tenant's and app's in the reports. A plan that <c>plans.yaml</c> does not name but an <see cref="IAppPlanSource"/> owns
/// (a marketplace subscription's) takes that source's limits and policy name.
/// </summary>
internal sealed class QuotaSubjects(ITenantPlanSource tenants, PlanPolicy plans, IEnumerable<IAppPlanSource> appPlans, TimeProvider clock, IOptions<QuotaOptions> options)
{
    private readonly ConcurrentDictionary<string, (string Plan, PlanLimits Limits, long Expires)> _tenants = new(StringComparer.Ordinal);

    public ValueTask<QuotaSubject> ResolveAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ResolveAsync(context.User, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
    }

    /// <summary>The subject of a principal (a person signed in to the portal, a token's caller); without a tenant, of the address.</summary>
    public async ValueTask<QuotaSubject> ResolveAsync(ClaimsPrincipal user, string? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var tenant = user.TenantId();
        if (tenant is null)
        {
            return new QuotaSubject("ip:" + (address ?? "unknown"), null, null, PlanPolicy.Anonymous, plans.For(PlanPolicy.Anonymous));
        }
        var app = user.FindFirst(PlatformClaims.ClientId)?.Value;
        if (user.AppPlan() is { } own && app is not null)
        {
            // A subscription's plan comes from the marketplace, its RateLimit policies named by the subscription.
            if (!plans.Plans.ContainsKey(own) && appPlans.FirstOrDefault(p => p.Owns(own)) is { } source)
            {
                // A subscription the source no longer knows allows nothing: its app is not free to read as its tenant.
                var found = await source.FindAsync(own, cancellationToken) ?? new AppPlan(own, PlanLimits.Nothing, own);
                return new QuotaSubject("a:" + app, tenant, app, found.Name, found.Limits, found.Policy);
            }
            // A plan plans.yaml no longer has counts as free, like a tenant's.
            var plan = plans.Plans.ContainsKey(own) ? own : "free";
            return new QuotaSubject("a:" + app, tenant, app, plan, plans.For(plan));
        }
        var now = clock.GetTimestamp();
        if (!_tenants.TryGetValue(tenant, out var cached) || cached.Expires < now)
        {
            var found = await tenants.FindPlanAsync(tenant, cancellationToken);
            var plan = found?.Plan ?? "free";
            var limits = plans.For(plan).With(found?.Overrides);
            cached = (plan, limits, now + (long)(options.Value.TenantCacheSeconds * (double)clock.TimestampFrequency));
            _tenants[tenant] = cached;
        }
        return new QuotaSubject("t:" + tenant, tenant, app, cached.Plan, cached.Limits);
    }

    /// <summary>The next request of <paramref name="tenantId"/> on this node reads its plan and overrides again.</summary>
    public void Forget(string tenantId) => _tenants.TryRemove(tenantId, out _);
}
