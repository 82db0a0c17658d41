using System.Threading.RateLimiting;

namespace OpenData.Platform.Quotas;

/// <summary>
/// The short-window limit: ASP.NET Core's token bucket, one per partition and (rate, burst), so an override starts a fresh
/// bucket at once. Per node: with several nodes the burst a tenant gets is per node (see the issue note).
/// </summary>
internal sealed class BurstLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(string Partition, int Rate, int Burst)> _limiter =
        PartitionedRateLimiter.Create<(string Partition, int Rate, int Burst), (string, int, int)>(key =>
            RateLimitPartition.GetTokenBucketLimiter(key, k => new TokenBucketRateLimiterOptions
            {
                TokenLimit = k.Item3,
                TokensPerPeriod = k.Item2,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    /// <summary>Takes one token; answers whether it was there and how many are left.</summary>
    public (bool Acquired, long Remaining) TryAcquire(string partition, long rate, long burst)
    {
        var key = (partition, (int)Math.Min(rate, int.MaxValue), (int)Math.Min(burst, int.MaxValue));
        using var lease = _limiter.AttemptAcquire(key);
        return (lease.IsAcquired, _limiter.GetStatistics(key)?.CurrentAvailablePermits ?? 0);
    }

    public void Dispose() => _limiter.Dispose();
}
