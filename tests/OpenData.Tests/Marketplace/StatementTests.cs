using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Marketplace.ProductTests;
using static OpenData.Tests.Marketplace.SubscriptionTests;

namespace OpenData.Tests.Marketplace;

/// <summary>
/// A month's statement for a known usage, to the fen, on each database, on the platform's own clock moved by the test: calls on a
/// per-call plan, an upgrade mid-month to a monthly plan (the day of the change priced at the new plan, the monthly price prorated
/// by days held), and calls either side of midnight CST at the month's end, landing in their own months. Once closed, the month
/// never changes — late usage and an adjustment aimed at it are refused or carried by the next month — and the provider, the
/// subscriber and the operator read the same lines, as JSON and as CSV.
/// </summary>
public sealed class StatementTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);

    [DatabaseTheory, OnEachDatabase]
    public async Task A_months_statement_matches_its_usage_to_the_fen_across_an_upgrade_and_the_month_boundary_and_then_never_changes(string db)
    {
        // 2026-10-20 10:00 CST: whole seconds, so instants read back equal on PostgreSQL.
        var clock = new FakeTimeProvider(At(2026, 10, 20, 10, 0, 0));
        await using var host = await PlatformHost.StartAsync(db, clock: clock);
        var owner = host.As(Owner, "tenant:admin", "datasets:write", "catalogue:read");
        const string product = "air-billing";
        var created = await owner.PostAsJsonAsync("/v1/products", Product(product, AirQuality, approval: "auto", status: "published", plans:
        [
            new { name = "basic", price = new { model = "per_call", amount = "0.013" }, limits = new { dailyRequests = 100 } },
            new { name = "pro", price = new { model = "monthly", amount = "300" }, limits = new { dailyRequests = 1000 } },
        ]));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var (tenant, admin) = await ConsumerAsync(host, "billed-" + db);
        var app = await AppAsync(admin, tenant);
        var subscription = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync("/v1/subscriptions",
            new { productId = product, plan = "basic", appId = app.ClientId, agreementVersion = "1.0" }), HttpStatusCode.Created);
        var id = subscription["id"]!.GetValue<string>();

        async Task CallsAsync(int served, int refused = 0)
        {
            var client = await AppClientAsync(host, app);
            for (var i = 0; i < served; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/datasets/{AirQuality}/records?limit=2")).StatusCode);
            }
            for (var i = 0; i < refused; i++)
            {
                // A bad query is a 400: not a served call, not billed.
                Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/v1/datasets/{AirQuality}/records?where=nowhere%20%3D%201")).StatusCode);
            }
        }

        // Oct 20: 7 served calls (and 2 refused); Oct 22: 5 more. Then Oct 25 the upgrade, and calls that a monthly price ignores.
        await CallsAsync(7, refused: 2);
        clock.Advance(TimeSpan.FromDays(2));
        await CallsAsync(5);
        clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/v1/subscriptions/{id}/change", new { plan = "pro" })).StatusCode);
        await CallsAsync(4);
        // The last minutes of October (CST), then the first of November: each in its own month.
        clock.SetUtcNow(At(2026, 10, 31, 23, 50, 0));
        await CallsAsync(2);
        clock.SetUtcNow(At(2026, 11, 1, 0, 5, 0));
        await CallsAsync(3);

        // Still within the grace after the month's end: October is open and already right.
        var open = await PlatformHost.ReadJsonAsync(await admin.GetAsync("/v1/statements?month=2026-10"));
        Assert.False(open["closed"]!.GetValue<bool>());
        clock.SetUtcNow(At(2026, 11, 1, 0, 30, 0));
        var october = await PlatformHost.ReadJsonAsync(await admin.GetAsync("/v1/statements?month=2026-10"));
        Assert.True(october["closed"]!.GetValue<bool>());
        var lines = october["lines"]!.AsArray();
        Assert.Equal(2, lines.Count);
        // basic, Oct 20–24: 12 served calls × 0.013 = 0.156 → 0.16.
        Assert.Equal(("basic", "2026-10-20", "2026-10-24"), Span(lines[0]!));
        Assert.Equal(12, lines[0]!["calls"]!.GetValue<long>());
        Assert.Equal("0.013", lines[0]!["unitPrice"]!.GetValue<string>());
        Assert.Equal("0.16", lines[0]!["amount"]!.GetValue<string>());
        // pro, Oct 25–31: 300 × 7 / 31 = 67.7419… → 67.74 (the calls counted, not priced).
        Assert.Equal(("pro", "2026-10-25", "2026-10-31"), Span(lines[1]!));
        Assert.Equal(6, lines[1]!["calls"]!.GetValue<long>());
        Assert.Equal("7/31", lines[1]!["quantity"]!.GetValue<string>());
        Assert.Equal("67.74", lines[1]!["amount"]!.GetValue<string>());
        Assert.Equal("67.90", october["total"]!.GetValue<string>());
        Assert.Equal("CNY", october["currency"]!.GetValue<string>());

        // GraphQL answers the same statement.
        var graph = (await GraphQLCalls.PostAsync(admin, """{ statement(month: "2026-10") { closed total lines { plan calls quantity amount } } }""")).Ok();
        Assert.True(graph["statement"]!["closed"]!.GetValue<bool>());
        Assert.Equal("67.90", graph["statement"]!["total"]!.GetValue<string>());
        Assert.Equal("7/31", graph["statement"]!["lines"]![1]!["quantity"]!.GetValue<string>());
        var subscriptions = (await GraphQLCalls.PostAsync(owner, """{ subscriptions(role: "provider") { id status plan } }""")).Ok();
        Assert.Contains(subscriptions["subscriptions"]!.AsArray(), s => s!["id"]!.GetValue<string>() == id && s["plan"]!.GetValue<string>() == "pro");

        // The provider and the operator read the same lines; the operator sees the revenue per provider and product.
        var provider = await PlatformHost.ReadJsonAsync(await owner.GetAsync("/v1/statements?month=2026-10&role=provider"));
        Assert.Equal(lines.ToJsonString(), provider["lines"]!.ToJsonString());
        Assert.Equal("67.90", Assert.Single(provider["revenue"]!.AsArray())!["amount"]!.GetValue<string>());
        var operatorView = await PlatformHost.ReadJsonAsync(await host.As("platform", "platform:admin").GetAsync("/v1/statements?month=2026-10"));
        Assert.Equal("operator", operatorView["role"]!.GetValue<string>());
        Assert.Contains(operatorView["revenue"]!.AsArray(), r => r!["provider"]!.GetValue<string>() == Owner && r["productId"]!.GetValue<string>() == product
            && r["amount"]!.GetValue<string>() == "67.90");
        // Another tenant's statement has none of it.
        var (_, stranger) = await ConsumerAsync(host, "unbilled-" + db);
        Assert.Empty((await PlatformHost.ReadJsonAsync(await stranger.GetAsync("/v1/statements?month=2026-10")))["lines"]!.AsArray());

        // Closed means closed: usage counted late for October does not change it, and an adjustment aimed at it is refused.
        await using (var connection = await host.OpenStoreAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO usage_daily (tenant_id, app_id, dataset_id, day, requests, rows_read, bytes_sent, errors, throttled) VALUES (@tenant, @app, @dataset, '2026-10-21', 50, 100, 1000, 0, 0)",
                new { tenant, app = app.ClientId, dataset = AirQuality });
        }
        var again = await PlatformHost.ReadJsonAsync(await admin.GetAsync("/v1/statements?month=2026-10"));
        Assert.Equal(october["lines"]!.ToJsonString(), again["lines"]!.ToJsonString());
        Assert.Equal(october["closedAt"]!.GetValue<string>(), again["closedAt"]!.GetValue<string>());
        var operatorClient = host.As("platform", "platform:admin");
        await ProblemAssert.IsProblemAsync(await operatorClient.PostAsJsonAsync("/v1/statements/adjustments",
            new { subscriptionId = id, correctsMonth = "2026-10", month = "2026-10", amount = "0.65", reason = "10 月 21 日迟到的 50 次调用" }),
            HttpStatusCode.Conflict, "statement.closed");
        // The correction goes on November's statement instead.
        var adjustment = await operatorClient.PostAsJsonAsync("/v1/statements/adjustments",
            new { subscriptionId = id, correctsMonth = "2026-10", amount = "0.65", reason = "10 月 21 日迟到的 50 次调用" });
        Assert.True(adjustment.StatusCode == HttpStatusCode.Created, await adjustment.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync("/v1/statements/adjustments",
            new { subscriptionId = id, correctsMonth = "2026-10", amount = "-100", reason = "我自己给自己减免" }), HttpStatusCode.Forbidden, "auth.insufficient_scope");

        // November, open: the first day on pro (300 × 1 / 30 = 10.00), its 3 calls, and the adjustment.
        var november = await PlatformHost.ReadJsonAsync(await admin.GetAsync("/v1/statements?month=2026-11"));
        Assert.False(november["closed"]!.GetValue<bool>());
        var line = Assert.Single(november["lines"]!.AsArray())!;
        Assert.Equal(("pro", "2026-11-01", "2026-11-01"), Span(line));
        Assert.Equal(3, line["calls"]!.GetValue<long>());
        Assert.Equal("10.00", line["amount"]!.GetValue<string>());
        Assert.Equal("0.65", Assert.Single(november["adjustments"]!.AsArray())!["amount"]!.GetValue<string>());
        Assert.Equal("10.65", november["total"]!.GetValue<string>());

        // The same statement as CSV, for each side.
        var csv = await admin.GetAsync("/v1/statements?month=2026-10&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Contains($"line,2026-10,{id},{product},{Owner},{tenant},{app.ClientId},basic,per_call,0.013,2026-10-20,2026-10-24,12,", text, StringComparison.Ordinal);
        Assert.EndsWith("total,2026-10,,,,,,,,,,,,,,67.90,\r\n", text, StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await admin.GetAsync("/v1/statements?month=2026-13"), HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await admin.GetAsync("/v1/statements?month=2027-01"), HttpStatusCode.BadRequest, "request.validation");
    }

    /// <summary>An instant given in China Standard Time, as UTC (the clock answers UTC, as the system's does).</summary>
    private static DateTimeOffset At(int year, int month, int day, int hour, int minute, int second) =>
        new DateTimeOffset(year, month, day, hour, minute, second, Cst).ToUniversalTime();

    private static (string Plan, string From, string To) Span(JsonNode line) =>
        (line["plan"]!.GetValue<string>(), line["from"]!.GetValue<string>(), line["to"]!.GetValue<string>());
}
