using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Storage;
using OpenData.Tests.Infrastructure;
using Xunit.Abstractions;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Storage;

/// <summary>
/// Cache invalidation across nodes on PostgreSQL (LISTEN/NOTIFY): with every cache interval set to an hour, a publish, a tag and a
/// grant made on node A are seen on node B within seconds, which only the signal explains.
/// </summary>
public sealed class CacheSignalTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> HourLongCaches = new()
    {
        ["OpenData:Catalogue:ReadCacheSeconds"] = "3600",
        ["OpenData:Access:GrantCacheSeconds"] = "3600",
        ["OpenData:Auth:VoidCheckSeconds"] = "3600",
    };

    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    private static async Task<(PlatformHost A, PlatformHost B)> TwoNodesAsync()
    {
        var a = await PlatformHost.StartAsync(Db.Postgres, HourLongCaches);
        var b = await a.StartPeerAsync();
        await a.Required<CacheSignalRelay>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        await b.Required<CacheSignalRelay>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        return (a, b);
    }

    /// <summary>Asks until <paramref name="seen"/> holds; the time it took, failing the test past <see cref="Soon"/>.</summary>
    private static async Task<TimeSpan> UntilAsync(Func<Task<bool>> seen, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await seen())
        {
            Assert.True(watch.Elapsed < Soon, $"node B still did not see {what} after {Soon.TotalSeconds} s (its cache lasts an hour)");
            await Task.Delay(10);
        }
        return watch.Elapsed;
    }

    [PostgresFact]
    public async Task A_publish_a_tag_and_a_grant_on_one_node_are_seen_on_the_other_at_once()
    {
        var (a, b) = await TwoNodesAsync();
        await using var _ = a;
        await using var __ = b;
        var owner = a.Owner();
        await a.CreateDatasetAsync(owner, "notified", "open", ("n", "integer"), ("person", "string"));
        Assert.Equal("succeeded", (await a.UploadAsync(owner, "notified", "n,person\n1,Alice\n")).GetProperty("status").GetString());

        // Node B reads version 1 and caches it for an hour; node A publishes version 2.
        var reader = b.Anonymous();
        var first = await reader.GetAsync("/v1/datasets/notified/records?select=n,person");
        Assert.Equal("1", first.Headers.GetValues("X-Dataset-Version").Single());
        Assert.Equal("succeeded", (await a.UploadAsync(owner, "notified", "n,person\n2,Alice\n")).GetProperty("status").GetString());
        var published = await UntilAsync(async () =>
            (await reader.GetAsync("/v1/datasets/notified/records?select=n,person")).Headers.GetValues("X-Dataset-Version").Single() == "2", "version 2");

        // The owner tags a column on node A: node B masks it from then on.
        Assert.Equal("Alice", (await PlatformHost.ReadJsonAsync(await reader.GetAsync("/v1/datasets/notified/records?select=person")))["items"]![0]!["person"]!.GetValue<string>());
        await PlatformHost.ReadJsonAsync(await owner.PatchAsJsonAsync("/v1/datasets/notified/columns/person", new { tag = "pii.name" }));
        var tagged = await UntilAsync(async () =>
            (await PlatformHost.ReadJsonAsync(await reader.GetAsync("/v1/datasets/notified/records?select=person")))["items"]![0]!["person"]!.GetValue<string>() != "Alice",
            "the tag");

        // A consumer on node B asks for a restricted dataset (B caches: pending, no grant); the owner approves on node A.
        var consumer = Consumer(b, "notified-analyst");
        var id = (await SubmitAsync(consumer, Restricted, new[] { "ticketNo", "district" }))["id"]!.GetValue<string>();
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records?select=ticketNo&limit=1"), HttpStatusCode.Forbidden, "access.grant_required");
        await PlatformHost.ReadJsonAsync(await DecideAsync(Reviewer(a, RestrictedOwner), id, "approve"));
        var granted = await UntilAsync(async () =>
            (await consumer.GetAsync($"/v1/datasets/{Restricted}/records?select=ticketNo&limit=1")).StatusCode == HttpStatusCode.OK, "the grant");

        output.WriteLine($"seen on node B after: publish {published.TotalMilliseconds:F0} ms, tag {tagged.TotalMilliseconds:F0} ms, grant {granted.TotalMilliseconds:F0} ms");
    }

    [PostgresFact]
    public async Task The_delay_from_a_forget_on_one_node_to_the_other_node_forgetting_is_a_few_milliseconds()
    {
        var (a, b) = await TwoNodesAsync();
        await using var _ = a;
        await using var __ = b;
        TaskCompletionSource<string>? arrived = null;
        b.Required<CacheSignals>().Subscribe(DatasetDirectory.Signal, key =>
        {
            if (key is not null && key.StartsWith("probe-", StringComparison.Ordinal))
            {
                arrived?.TrySetResult(key);
            }
        });
        var directory = a.Required<DatasetDirectory>();
        var delays = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            arrived = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var watch = Stopwatch.StartNew();
            // What a publish on node A does after its commit.
            directory.Forget($"probe-{i}");
            Assert.Equal($"probe-{i}", await arrived.Task.WaitAsync(Soon));
            delays.Add(watch.Elapsed.TotalMilliseconds);
        }
        delays.Sort();
        var median = delays[delays.Count / 2];
        output.WriteLine($"NOTIFY delay, forget on A → B forgets, n=50: median {median:F2} ms, p90 {delays[45]:F2} ms, max {delays[^1]:F2} ms");
        Assert.True(median < 1000, $"median {median} ms");
    }
}
