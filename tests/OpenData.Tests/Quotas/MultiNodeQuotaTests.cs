using System.Net;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Quotas;

/// <summary>Two API nodes on one store share a tenant's daily quota exactly.</summary>
public sealed class MultiNodeQuotaTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task Two_nodes_admit_exactly_the_daily_quota_between_them(string db)
    {
        await using var first = await QuotaScenarios.StartAsync(db);
        await using var second = await first.StartPeerAsync();
        await QuotaScenarios.CreateTenantAsync(first, "shared", "partner", new { dailyRequests = 100 });
        var clients = new[] { first.As("shared", "records:read"), second.As("shared", "records:read") };

        // 300 requests from 16 concurrent callers, alternating between the nodes.
        using var gate = new SemaphoreSlim(16);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await clients[i % 2].GetAsync("/v1/datasets/ningbo-villages/records?limit=1");
                return (Node: i % 2, response.StatusCode);
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.Equal(100, statuses.Count(s => s.StatusCode == HttpStatusCode.OK));
        Assert.Equal(200, statuses.Count(s => s.StatusCode == HttpStatusCode.TooManyRequests));
        // Both nodes served part of the quota: it was shared, not taken whole by one.
        Assert.All(new[] { 0, 1 }, node => Assert.Contains(statuses, s => s.Node == node && s.StatusCode == HttpStatusCode.OK));
    }
}
