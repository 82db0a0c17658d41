namespace OpenData.Platform.Marketplace.Subscriptions;

/// <summary>What a product's lifecycle asks of its subscriptions: who to tell of a retirement, and ending them with it.</summary>
internal sealed class ProductSubscribers(SubscriptionStore store, SubscriptionPlans plans)
{
    /// <summary>The pending and active subscriptions of a product: (subscription, subscriber tenant).</summary>
    public async Task<IReadOnlyList<(string Subscription, string Tenant)>> ActiveSubscribersAsync(string productId, CancellationToken cancellationToken) =>
        [.. (await store.AllAsync(productId, cancellationToken))
            .Where(s => s.Status is SubscriptionStatus.Pending or SubscriptionStatus.Active).Select(s => (s.Id, s.TenantId))];

    /// <summary>The product's subscriptions (those told of the retirement) end when its notice does.</summary>
    public async Task ProductRetiredAsync(string productId, DateTimeOffset endsAt, IEnumerable<string> subscriptions, CancellationToken cancellationToken)
    {
        await store.EndAllAsync(productId, endsAt, cancellationToken);
        foreach (var subscription in subscriptions)
        {
            plans.Forget(subscription);
        }
    }
}
