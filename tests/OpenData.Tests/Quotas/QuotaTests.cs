using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.QuotaScenarios;

namespace OpenData.Tests.Quotas;

/// <summary>Admission, headers, daily quotas, bursts, per-IP limits, overrides, row limits and usage metering over HTTP.</summary>
public sealed class QuotaTests
{
    private static HttpClient Consumer(PlatformHost host, string tenant) => host.As(tenant, "catalogue:read", "records:read");

    [DatabaseTheory, OnEachDatabase]
    public async Task Every_metered_answer_carries_the_rate_limit_headers(string db)
    {
        await using var host = await StartAsync(db);
        await CreateTenantAsync(host, "headers", "free", new { dailyRequests = 40 });
        var client = Consumer(host, "headers");
        foreach (var url in new[]
        {
            "/v1/datasets", "/v1/datasets/ningbo-villages", "/v1/datasets/no-such-dataset", "/v1/datasets/ningbo-villages/records?limit=2",
            "/v1/datasets/ningbo-villages/records?where=nonsense", "/v1/datasets/ningbo-air-quality-daily/export", "/v1/organisations", "/v1/themes",
        })
        {
            var response = await client.GetAsync(url);
            var policy = Fields(response, "RateLimit-Policy");
            Assert.Equal("1000", policy["burst"]["q"]);
            Assert.Equal("1", policy["burst"]["w"]);
            Assert.Equal("40", policy["daily"]["q"]);
            Assert.Equal("86400", policy["daily"]["w"]);
            Assert.Equal("250", policy["rows"]["q"]);
            var state = Fields(response, "RateLimit");
            Assert.InRange(long.Parse(state["daily"]["r"]), 0, 39);
            Assert.InRange(long.Parse(state["daily"]["t"]), 1, 86400);
        }
        // Routes outside the metered groups carry none.
        Assert.False((await client.GetAsync("/healthz")).Headers.Contains("RateLimit"));
        var anonymous = await host.Anonymous().GetAsync("/v1/datasets");
        Assert.Equal("6", Fields(anonymous, "RateLimit-Policy")["daily"]["q"]);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_daily_quota_of_five_admits_exactly_five_and_leaves_other_tenants_alone(string db)
    {
        await using var host = await StartAsync(db);
        await CreateTenantAsync(host, "five-a", "free", new { dailyRequests = 5 });
        await CreateTenantAsync(host, "five-b", "free", new { dailyRequests = 5 });
        var a = Consumer(host, "five-a");
        for (var i = 1; i <= 5; i++)
        {
            var ok = await a.GetAsync("/v1/datasets/ningbo-villages/records?limit=1");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal((5 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Fields(ok, "RateLimit")["daily"]["r"]);
        }
        var refused = await a.GetAsync("/v1/datasets/ningbo-villages/records?limit=1");
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        Assert.Equal("daily", problem["policy"]!.GetValue<string>());
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 86400 }, refused.Headers.RetryAfter?.ToString());
        Assert.Equal("0", Fields(refused, "RateLimit")["daily"]["r"]);

        Assert.Equal(HttpStatusCode.OK, (await Consumer(host, "five-b").GetAsync("/v1/datasets/ningbo-villages/records?limit=1")).StatusCode);

        var quota = await PlatformHost.ReadJsonAsync(await a.GetAsync("/v1/quota"));
        Assert.Equal("free", quota["plan"]!.GetValue<string>());
        Assert.Equal(5, quota["limits"]!["dailyRequests"]!.GetValue<long>());
        Assert.Equal(0, quota["remaining"]!["dailyRequests"]!.GetValue<long>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_burst_of_twenty_against_rate_two_burst_two_admits_two_to_four(string db)
    {
        await using var host = await StartAsync(db);
        await CreateTenantAsync(host, "bursty", "contest");
        var client = Consumer(host, "bursty");
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/v1/datasets/ningbo-villages/records?limit=1")));
        var admitted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.InRange(admitted, 2, 4);
        Assert.Equal(20 - admitted, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate.exceeded");
        Assert.Equal("burst", problem["policy"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Anonymous_callers_are_limited_per_client_address(string db)
    {
        await using var host = await StartAsync(db);
        using var first = FromAddress(host, "127.0.0.1");
        using var second = FromAddress(host, "127.0.0.2");
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/v1/datasets")).StatusCode);
        }
        var refused = await first.GetAsync("/v1/datasets");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/v1/datasets")).StatusCode);
        // A token is counted under its tenant, not its address.
        Assert.Equal(HttpStatusCode.OK, (await Consumer(host, "someone").GetAsync("/v1/datasets")).StatusCode);
    }

    /// <summary>A client whose connections leave from <paramref name="address"/> (any 127.x.y.z reaches the loopback listener).</summary>
    private static HttpClient FromAddress(PlatformHost host, string address)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = host.BaseAddress };
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_override_takes_effect_on_the_next_request(string db)
    {
        await using var host = await StartAsync(db);
        await CreateTenantAsync(host, "override", "free", new { dailyRequests = 2 });
        var client = Consumer(host, "override");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/v1/datasets")).StatusCode);

        await PlatformHost.ReadJsonAsync(await Operator(host).PatchAsJsonAsync("/v1/tenants/override", new { limits = new { dailyRequests = 4 } }));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/v1/datasets")).StatusCode);

        // A new plan applies at once too: contest's burst of two.
        await PlatformHost.ReadJsonAsync(await Operator(host).PatchAsJsonAsync("/v1/tenants/override", new { plan = "contest", limits = new { dailyRequests = (long?)null } }));
        var burst = await client.GetAsync("/v1/datasets");
        Assert.Equal(HttpStatusCode.OK, burst.StatusCode);
        Assert.Equal("2", Fields(burst, "RateLimit-Policy")["burst"]["q"]);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Rows_count_against_the_day_as_they_stream_and_an_export_stops_at_its_limit(string db)
    {
        await using var host = await StartAsync(db);
        await CreateTenantAsync(host, "rows", "free");
        var client = Consumer(host, "rows");
        // dailyRows 250: two pages of 100, then a page cut to the 50 left, then nothing.
        var one = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=100"));
        Assert.Equal(100, one["items"]!.AsArray().Count);
        Assert.Equal(100, (await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=100")))["items"]!.AsArray().Count);
        var cut = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=100"));
        Assert.Equal(50, cut["items"]!.AsArray().Count);
        Assert.NotNull(cut["next"]);
        var none = await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=100");
        var spent = await ProblemAssert.IsProblemAsync(none, HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        Assert.NotNull(none.Headers.RetryAfter);
        Assert.Equal((long)none.Headers.RetryAfter!.Delta!.Value.TotalSeconds, spent["retryAfter"]!.GetValue<long>());
        // The same one reservation refuses an export and a GraphQL page alike, each with the wait.
        var exportNone = await client.GetAsync("/v1/datasets/ningbo-villages/export?format=csv");
        var exportSpent = await ProblemAssert.IsProblemAsync(exportNone, HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        Assert.True(exportNone.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 86400 }, exportNone.Headers.RetryAfter?.ToString());
        Assert.True(exportSpent["retryAfter"]!.GetValue<long>() is >= 1 and <= 86400);
        var graph = await PlatformHost.ReadJsonAsync(await client.PostAsJsonAsync("/graphql",
            new { query = """{ dataset(id: "ningbo-villages") { records(first: 5) { items } } }""" }));
        var error = graph["errors"]!.AsArray().Single()!;
        Assert.Equal("quota.daily_exceeded", error["extensions"]!["code"]!.GetValue<string>());
        Assert.True(error["extensions"]!["retryAfter"]!.GetValue<long>() is >= 1 and <= 86400);

        // exportRows 50, on a tenant with rows left: the export stops at 50 and says so before the first byte.
        await CreateTenantAsync(host, "exporter", "free", new { dailyRows = 1_000_000 });
        var export = await Consumer(host, "exporter").GetAsync("/v1/datasets/ningbo-villages/export?format=csv");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("50", export.Headers.GetValues("X-Export-Rows").Single());
        Assert.StartsWith("exportRows", export.Headers.GetValues("X-Export-Truncated").Single(), StringComparison.Ordinal);
        var lines = (await export.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(51, lines.Length);
        // A whole export within the limits says nothing of the kind.
        await CreateTenantAsync(host, "partner-reader", "partner");
        var air = await host.As("partner-reader", "catalogue:read").GetAsync("/v1/datasets/ningbo-air-quality-daily/export");
        Assert.Equal(HttpStatusCode.OK, air.StatusCode);
        Assert.False(air.Headers.Contains("X-Export-Truncated"));
        Assert.Equal(air.Headers.GetValues("X-Total-Rows").Single(), ((await air.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Usage_matches_what_was_sent_and_survives_a_graceful_restart(string db)
    {
        // No periodic flush during the test: what reaches the store before the restart is what the stop flushed.
        var host = await StartAsync(db, settings: new Dictionary<string, string?> { ["OpenData:Quotas:FlushSeconds"] = "3600" });
        await CreateTenantAsync(host, "metered", "partner");
        var client = host.As("metered", "catalogue:read", "records:read");
        long bytes = 0;
        for (var i = 0; i < 7; i++)
        {
            var page = await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=10");
            bytes += (await page.Content.ReadAsByteArrayAsync()).Length;
        }
        var bad = await client.GetAsync("/v1/datasets/ningbo-villages/records?where=%3D%3D");
        bytes += (await bad.Content.ReadAsByteArrayAsync()).Length;
        var catalogue = await client.GetAsync("/v1/datasets");
        bytes += (await catalogue.Content.ReadAsByteArrayAsync()).Length;
        // The one app the tenant has so far: the one those requests came from.
        var app = (string)(await host.QueryScalarAsync("SELECT client_id FROM apps WHERE tenant_id = 'metered'"))!;

        host = await host.RestartAsync();
        await using (host)
        {
            var usage = await PlatformHost.ReadJsonAsync(await host.As("metered", "catalogue:read").GetAsync("/v1/usage"));
            var items = usage["items"]!.AsArray();
            var villages = items.Single(i => i!["dataset"]!.GetValue<string>() == "ningbo-villages")!;
            Assert.Equal(8, villages["requests"]!.GetValue<long>());
            Assert.Equal(70, villages["rows"]!.GetValue<long>());
            Assert.Equal(1, villages["errors"]!.GetValue<long>());
            var listing = items.Single(i => i!["dataset"]!.GetValue<string>() == "")!;
            Assert.Equal(1, listing["requests"]!.GetValue<long>());
            Assert.Equal(9, usage["totals"]!["requests"]!.GetValue<long>());
            Assert.Equal(bytes, usage["totals"]!["bytes"]!.GetValue<long>());

            var csv = await host.As("metered", "catalogue:read").GetAsync("/v1/usage?format=csv");
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            var text = await csv.Content.ReadAsStringAsync();
            Assert.StartsWith("day,dataset,app,requests,rows,bytes,errors,throttled\r\n", text, StringComparison.Ordinal);
            Assert.Contains($",ningbo-villages,{app},8,70,", text, StringComparison.Ordinal);

            // The operator reads any tenant's usage; another tenant reads nothing of it.
            var byOperator = await PlatformHost.ReadJsonAsync(await Operator(host).GetAsync("/v1/usage?tenant=metered"));
            Assert.Equal(9, byOperator["totals"]!["requests"]!.GetValue<long>());
            await ProblemAssert.IsProblemAsync(await host.As("someone-else", "catalogue:read").GetAsync("/v1/usage?tenant=metered"), HttpStatusCode.NotFound, "tenant.not_found");
            await ProblemAssert.IsProblemAsync(await host.As("metered", "catalogue:read").GetAsync("/v1/usage?from=2026-13-01"), HttpStatusCode.BadRequest, "request.validation");
            await ProblemAssert.IsProblemAsync(await host.As("metered", "catalogue:read").GetAsync("/v1/usage?from=2026-02-01&to=2026-01-01"), HttpStatusCode.BadRequest, "request.validation");
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Throttled_answers_are_counted_in_usage(string db)
    {
        await using var host = await StartAsync(db);
        await CreateTenantAsync(host, "throttled", "free", new { dailyRequests = 1 });
        var client = Consumer(host, "throttled");
        await client.GetAsync("/v1/datasets");
        await client.GetAsync("/v1/datasets");
        await client.GetAsync("/v1/datasets");
        var usage = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/usage"));
        Assert.Equal(3, usage["totals"]!["requests"]!.GetValue<long>());
        Assert.Equal(2, usage["totals"]!["throttled"]!.GetValue<long>());
        Assert.Equal(0, usage["totals"]!["errors"]!.GetValue<long>());
    }
}
