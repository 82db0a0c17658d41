namespace OpenData.Platform.Quotas;

/// <summary>
/// Plans that are not in <c>plans.yaml</c> but that a bound app may hold: a marketplace subscription's plan, named by the
/// subscription (the Marketplace module answers). Quotas asks for the limits in force and never reads another module's table.
/// </summary>
internal interface IAppPlanSource
{
    /// <summary>Whether <paramref name="plan"/> is a name this source answers for (it may still be unknown to it).</summary>
    bool Owns(string plan);

    /// <summary>The plan's name as callers see it, its limits in force and the name its RateLimit policies carry; null when unknown.</summary>
    ValueTask<AppPlan?> FindAsync(string plan, CancellationToken cancellationToken);
}

/// <summary>
/// An app's own plan from an <see cref="IAppPlanSource"/>: <c>Name</c> as refusals and <c>GET /v1/quota</c> say it (for a
/// subscription, <c>{productId}/{plan}</c>), its <c>Limits</c>, and <c>Policy</c>, the prefix of its RateLimit policy items
/// (<c>"{policy}/daily"</c>).
/// </summary>
internal sealed record AppPlan(string Name, PlanLimits Limits, string Policy);
