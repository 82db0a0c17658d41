using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Access;

/// <summary>From 403 to a granted, narrowed, desensitised view and back: requests, approvals, L3's two stages, expiry, revocation, isolation.</summary>
public sealed class GrantReadTests
{
    private static async Task<string> AccessOf(HttpClient client, string dataset) =>
        (await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{dataset}")))["access"]!.GetValue<string>();

    [DatabaseTheory, OnEachDatabase]
    public async Task A_restricted_dataset_is_read_through_an_approved_narrowed_grant_until_it_is_revoked(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = Consumer(host, "analyst");
        var owner = Reviewer(host, RestrictedOwner);
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records"), HttpStatusCode.Forbidden, "access.grant_required");
        Assert.Equal("requestable", await AccessOf(consumer, Restricted));

        var request = await SubmitAsync(consumer, Restricted, new[] { "ticketNo", "callerName", "callerIdCard", "district" });
        var id = request["id"]!.GetValue<string>();
        Assert.Equal("submitted", request["status"]!.GetValue<string>());
        Assert.Equal("pending", await AccessOf(consumer, Restricted));
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records"), HttpStatusCode.Forbidden, "access.grant_required");

        // The owner sees it among its reviews and approves three of the four columns.
        var reviews = await PlatformHost.ReadJsonAsync(await owner.GetAsync("/v1/access-requests?role=reviewer&status=submitted"));
        Assert.Contains(reviews["items"]!.AsArray(), r => r!["id"]!.GetValue<string>() == id);
        var approved = await PlatformHost.ReadJsonAsync(await DecideAsync(owner, id, "approve", new[] { "ticketNo", "callerIdCard", "district" }));
        Assert.Equal("approved", approved["status"]!.GetValue<string>());
        var grantId = approved["grantId"]!.GetValue<string>();
        Assert.Equal("granted", await AccessOf(consumer, Restricted));

        var detail = await PlatformHost.ReadJsonAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}"));
        var visibility = detail["columns"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["visibility"]!.GetValue<string>());
        Assert.Equal("clear", visibility["ticketNo"]);
        Assert.Equal("pseudonymised", visibility["callerIdCard"]);
        Assert.Equal("hidden", visibility["callerName"]);
        Assert.Equal("hidden", visibility["callerMobile"]);

        var page = await PlatformHost.ReadJsonAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records?limit=5"));
        var rows = page["items"]!.AsArray();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(["ticketNo", "callerIdCard", "district"], r!.AsObject().Select(p => p.Key)));
        Assert.All(rows, r => Assert.StartsWith("pt_", r!["callerIdCard"]!.GetValue<string>(), StringComparison.Ordinal));
        var again = await PlatformHost.ReadJsonAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records?limit=5"));
        Assert.Equal(rows.Select(r => r!["callerIdCard"]!.GetValue<string>()), again["items"]!.AsArray().Select(r => r!["callerIdCard"]!.GetValue<string>()));
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records?select=callerName"), HttpStatusCode.BadRequest, "query.column_not_visible");

        // Grants are listed on both sides, and nowhere else.
        Assert.Contains((await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/grants")))["items"]!.AsArray(), g => g!["id"]!.GetValue<string>() == grantId);
        Assert.Contains((await PlatformHost.ReadJsonAsync(await owner.GetAsync("/v1/grants")))["items"]!.AsArray(), g => g!["id"]!.GetValue<string>() == grantId);
        var stranger = Consumer(host, "stranger");
        Assert.DoesNotContain((await PlatformHost.ReadJsonAsync(await stranger.GetAsync("/v1/grants")))["items"]!.AsArray(), g => g!["id"]!.GetValue<string>() == grantId);
        await ProblemAssert.IsProblemAsync(await stranger.GetAsync($"/v1/access-requests/{id}"), HttpStatusCode.NotFound, "access.request_not_found");
        Assert.Empty((await PlatformHost.ReadJsonAsync(await stranger.GetAsync("/v1/access-requests")))["items"]!.AsArray());
        await ProblemAssert.IsProblemAsync(await Reviewer(host, "ningbo-civil-affairs").PostAsJsonAsync($"/v1/grants/{grantId}/revoke", new { reason = "not mine" }),
            HttpStatusCode.NotFound, "access.grant_not_found");

        // Revocation stops the very next read.
        var revoked = await PlatformHost.ReadJsonAsync(await owner.PostAsJsonAsync($"/v1/grants/{grantId}/revoke", new { reason = "purpose fulfilled" }));
        Assert.Equal("revoked", revoked["status"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records"), HttpStatusCode.Forbidden, "access.grant_required");
        await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync($"/v1/grants/{grantId}/revoke", new { reason = "twice" }), HttpStatusCode.Conflict, "access.grant_revoked");
        var history = await PlatformHost.ReadJsonAsync(await consumer.GetAsync($"/v1/access-requests/{id}"));
        Assert.Equal(["submit", "approve"], history["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_sensitive_dataset_needs_the_owner_and_then_the_platform(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        await CreateSensitiveAsync(host);
        var consumer = Consumer(host, "researcher");
        var id = (await SubmitAsync(consumer, Sensitive))["id"]!.GetValue<string>();
        var first = await PlatformHost.ReadJsonAsync(await DecideAsync(Reviewer(host, SensitiveOwner), id, "approve", new[] { "caseNo", "benefit" }));
        Assert.Equal("owner_approved", first["status"]!.GetValue<string>());
        Assert.Null(first["grantId"]);
        Assert.Equal("pending", await AccessOf(consumer, Sensitive));
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync($"/v1/datasets/{Sensitive}/records"), HttpStatusCode.Forbidden, "access.grant_required");

        // The platform's review may narrow further, never widen.
        await ProblemAssert.IsProblemAsync(await DecideAsync(AccessScenarios.Platform(host), id, "approve", new[] { "caseNo", "person" }), HttpStatusCode.BadRequest, "request.validation");
        var second = await PlatformHost.ReadJsonAsync(await DecideAsync(AccessScenarios.Platform(host), id, "approve", new[] { "caseNo" }));
        Assert.Equal("approved", second["status"]!.GetValue<string>());
        var page = await PlatformHost.ReadJsonAsync(await consumer.GetAsync($"/v1/datasets/{Sensitive}/records"));
        Assert.Equal(["C1", "C2"], page["items"]!.AsArray().Select(r => r!["caseNo"]!.GetValue<string>()));
        Assert.All(page["items"]!.AsArray(), r => Assert.Single(r!.AsObject()));
        Assert.Equal(["submit", "approve", "approve"], second["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));
        Assert.Equal("platform", second["history"]![2]!["actor"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_expired_grant_stops_the_next_read(string db)
    {
        // Whole seconds: PostgreSQL keeps microseconds, so an instant with ticks below them would not read back equal.
        var now = DateTimeOffset.UtcNow;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));
        await using var host = await PlatformHost.StartAsync(db, clock: clock);
        var consumer = Consumer(host, "short-lived");
        var id = (await SubmitAsync(consumer, Restricted, new[] { "ticketNo" }, durationDays: 7))["id"]!.GetValue<string>();
        var approved = await PlatformHost.ReadJsonAsync(await DecideAsync(Reviewer(host, RestrictedOwner), id, "approve"));
        Assert.Equal(clock.GetUtcNow().AddDays(7), DateTimeOffset.Parse(approved["history"]![1]!["expiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync($"/v1/datasets/{Restricted}/records?limit=1")).StatusCode);
        // One second later the grant has expired: the next read is refused, no background job needed.
        clock.Advance(TimeSpan.FromSeconds(1));
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records?limit=1"), HttpStatusCode.Forbidden, "access.grant_required");
        Assert.Equal("requestable", await AccessOf(consumer, Restricted));
        var grants = await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/grants"));
        Assert.Equal("expired", grants["items"]!.AsArray().Single(g => g!["id"]!.GetValue<string>() == approved["grantId"]!.GetValue<string>())!["status"]!.GetValue<string>());
    }
}
