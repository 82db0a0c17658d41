using System.Collections.Concurrent;
using System.Text.Json;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Marketplace.Subscriptions;

/// <summary>
/// The plans of subscriptions for quota admission (<see cref="IAppPlanSource"/>): a subscription's app holds the subscription's id as
/// its plan, and its limits are the plan held today, as accepted. A pending, cancelled, rejected or ended subscription allows nothing.
/// Cached per node for <see cref="CacheTime"/>; a change on this node forgets at once, on other nodes within that time.
/// </summary>
internal sealed class SubscriptionPlans(SubscriptionStore store, TimeProvider clock) : IAppPlanSource
{
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (AppPlan Plan, long Expires)> _cache = new(StringComparer.Ordinal);

    public bool Owns(string plan) => plan.StartsWith("sub_", StringComparison.Ordinal);

    public async ValueTask<AppPlan?> FindAsync(string plan, CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        if (_cache.TryGetValue(plan, out var cached) && cached.Expires > now)
        {
            return cached.Plan;
        }
        var row = await store.FindAsync(plan, cancellationToken);
        if (row is null)
        {
            return null;
        }
        var limits = PlanLimits.Nothing;
        if (row.Status == SubscriptionStatus.Active && !(row.EndsAt is { } ends && ends <= clock.GetUtcNow()))
        {
            var period = (await store.PeriodsAsync([row.Id], cancellationToken)).Where(p => p.ToDay is null).MaxBy(p => p.Seq);
            if (period is not null)
            {
                var l = JsonSerializer.Deserialize<LimitsView>(period.Limits, ProductService.Json)!;
                limits = new PlanLimits(l.RatePerSecond, l.Burst, l.DailyRequests, l.DailyRows, l.ExportRows);
            }
        }
        var found = new AppPlan($"{row.ProductId}/{row.Plan}", limits, row.Id);
        // An ended subscription is not cached past its end.
        var ttl = row.EndsAt is { } end && end > clock.GetUtcNow() && end - clock.GetUtcNow() < CacheTime ? end - clock.GetUtcNow() : CacheTime;
        _cache[plan] = (found, now + (long)(ttl.TotalSeconds * clock.TimestampFrequency));
        return found;
    }

    /// <summary>The next request of the subscription's app on this node reads its plan again.</summary>
    public void Forget(string subscriptionId) => _cache.TryRemove(subscriptionId, out _);
}
