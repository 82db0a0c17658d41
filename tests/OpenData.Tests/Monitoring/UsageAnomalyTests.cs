using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OpenData.Platform.Monitoring;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Monitoring;

/// <summary>
/// Unusual reads (监测预警): a tenant that reads a dataset far beyond its own habit — more than 5 times the median of its reading days
/// among the 14 before, and more than 1,000 rows — is raised once for that day, to the dataset's owner, as <c>usage.anomaly</c>.
/// </summary>
public sealed class UsageAnomalyTests
{
    private const string Owner = "ningbo-civil-affairs";
    private const string Villages = "ningbo-villages";

    [Fact]
    public void The_median_is_of_the_reading_days_and_both_thresholds_must_be_passed()
    {
        Assert.Null(UsageAnomalyRule.Median([]));
        Assert.Equal(100, UsageAnomalyRule.Median([100, 5, 7000]));
        Assert.Equal(150, UsageAnomalyRule.Median([300, 100, 200, 50]));
        // Twenty times a median of 100, and past the floor.
        Assert.True(UsageAnomalyRule.IsUnusual(2000, 100, 1000, 5));
        Assert.Equal(20, UsageAnomalyRule.FactorOf(2000, 100));
        // Nine times the median, but under the floor.
        Assert.False(UsageAnomalyRule.IsUnusual(900, 100, 1000, 5));
        // Past the floor, but only twice the median.
        Assert.False(UsageAnomalyRule.IsUnusual(2000, 1000, 1000, 5));
        // Exactly five times is not more than five times; exactly the floor is not more than the floor.
        Assert.False(UsageAnomalyRule.IsUnusual(5000, 1000, 1000, 5));
        Assert.False(UsageAnomalyRule.IsUnusual(1000, 10, 1000, 5));
        // No history: the floor alone.
        Assert.True(UsageAnomalyRule.IsUnusual(1001, null, 1000, 5));
        Assert.Null(UsageAnomalyRule.FactorOf(1001, null));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_spike_far_beyond_a_tenants_habit_is_raised_once_to_the_owner_and_ordinary_days_are_not(string db)
    {
        // Whole seconds: PostgreSQL keeps microseconds, so an instant with ticks below them would not read back equal.
        var start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(start.AddTicks(-(start.Ticks % TimeSpan.TicksPerSecond)));
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?>
        {
            ["OpenData:Webhooks:AllowPrivateAddresses"] = "true",
            ["OpenData:Webhooks:PollMilliseconds"] = "100",
            ["OpenData:Monitoring:CheckSeconds"] = "60",
        }, clock: clock);
        using var ownerHook = new WebhookListener();
        using var readerHook = new WebhookListener();
        var subscribed = await PlatformHost.ReadJsonAsync(await host.As(Owner, "tenant:admin").PostAsJsonAsync("/v1/webhooks",
            new { url = ownerHook.Url, events = new[] { "usage.anomaly" }, secret = "anomaly-secret-0123456789" }), HttpStatusCode.Created);
        Assert.Equal(["usage.anomaly"], subscribed["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        // A reader's own webhook hears nothing of it: the alert is the owner's.
        await PlatformHost.ReadJsonAsync(await host.As("steady-reader", "tenant:admin").PostAsJsonAsync("/v1/webhooks",
            new { url = readerHook.Url, secret = "reader-secret-0123456789" }), HttpStatusCode.Created);

        var steady = host.As("steady-reader", "records:read");
        var small = host.As("small-spike", "records:read");
        var heavy = host.As("heavy-reader", "records:read");
        var newcomer = host.As("new-reader", "records:read");

        // Fourteen ordinary days: 100 rows a day for two readers, 1,000 for the heavy one (one day off: its median is of its reading days).
        for (var day = 0; day < 14; day++)
        {
            await ReadAsync(steady, 100);
            await ReadAsync(small, 100);
            if (day != 6)
            {
                await ReadAsync(heavy, 1000);
            }
            clock.Advance(TimeSpan.FromDays(1));
        }
        var spikeDay = QuotaDayOf(clock);
        // The spike: 2,000 rows (20 times its median); 900 rows (9 times, under the floor); 2,000 rows for a median of 1,000;
        // and 1,500 rows by a tenant with no history (the floor alone).
        await ReadAsync(steady, 1000, 1000);
        await ReadAsync(small, 500, 400);
        await ReadAsync(heavy, 1000, 1000);
        await ReadAsync(newcomer, 1000, 500);

        var received = await WaitForAnomaliesAsync(clock, ownerHook, 2);
        var byTenant = received.ToDictionary(r => r["data"]!["tenant"]!.GetValue<string>(), r => r["data"]!);
        Assert.Equal(["new-reader", "steady-reader"], byTenant.Keys.Order(StringComparer.Ordinal));
        var alert = byTenant["steady-reader"];
        Assert.Equal(Villages, alert["dataset"]!.GetValue<string>());
        Assert.Equal(spikeDay, alert["day"]!.GetValue<string>());
        Assert.Equal(2000, alert["rows"]!.GetValue<long>());
        Assert.Equal(100, alert["median"]!.GetValue<double>());
        Assert.Equal(20, alert["factor"]!.GetValue<double>());
        var first = byTenant["new-reader"];
        Assert.Equal(1500, first["rows"]!.GetValue<long>());
        Assert.Null(first["median"]);
        Assert.Null(first["factor"]);
        Assert.All(received, r => Assert.Equal(Owner, r["tenant"]!.GetValue<string>()));

        // The same check weighed the others (one pass over the day's heavy readers) and raised nothing for them.
        Assert.Equal(2L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM usage_anomalies"), CultureInfo.InvariantCulture));

        // Reading on the same day raises nothing again, check after check.
        await ReadAsync(steady, 1000);
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(61));
            await Task.Delay(100);
        }
        Assert.Equal(2L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM usage_anomalies"), CultureInfo.InvariantCulture));
        Assert.Equal(2, ownerHook.Received.Count(r => r.Event == "usage.anomaly"));
        Assert.DoesNotContain(readerHook.Received, r => r.Event == "usage.anomaly");
    }

    /// <summary>Reads pages of the given sizes from the villages (3,042 rows), each counted in full.</summary>
    private static async Task ReadAsync(HttpClient client, params int[] pages)
    {
        foreach (var limit in pages)
        {
            var page = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{Villages}/records?limit={limit}"));
            Assert.Equal(limit, page["items"]!.AsArray().Count);
        }
    }

    private static string QuotaDayOf(TimeProvider clock) =>
        clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Moves the clock a check at a time (the watch and the delivery wait on it) until the owner's receiver has <paramref name="count"/> alerts.</summary>
    private static async Task<List<JsonNode>> WaitForAnomaliesAsync(FakeTimeProvider clock, WebhookListener hook, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var anomalies = hook.Received.Where(r => r.Event == "usage.anomaly" && r.Answered < 300).Select(r => JsonNode.Parse(r.Body)!).ToList();
            if (anomalies.Count >= count)
            {
                return anomalies;
            }
            clock.Advance(TimeSpan.FromSeconds(61));
            await Task.Delay(100);
        }
        throw new TimeoutException($"{count} usage.anomaly events did not arrive; got {hook.Received.Count(r => r.Event == "usage.anomaly")}");
    }
}
