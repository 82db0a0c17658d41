using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Platform.Tenancy;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Marketplace.ProductTests;

namespace OpenData.Tests.Marketplace;

/// <summary>
/// Subscriptions on each database, as a subscriber trying its luck: an outdated agreement, somebody else's app, a second
/// subscription on one app, deciding its own subscription; with manual approval nothing changes for the app until the provider
/// approves; then the app's limits are the plan's, named by the subscription in the RateLimit headers and the 429; it reads the
/// product's dataset only; a plan change applies to the next request; cancelling frees the app.
/// </summary>
public sealed class SubscriptionTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    internal static async Task<(string Tenant, HttpClient Admin)> ConsumerAsync(PlatformHost host, string id)
    {
        var created = await host.Required<TenancyService>().CreateTenantAsync(new NewTenant(id, id, "consumer", null, null), CancellationToken.None);
        Assert.Null(created.Refusal);
        return (id, host.As(id, "tenant:admin", "catalogue:read", "records:read", "access:request"));
    }

    internal static async Task<(string ClientId, string Secret)> AppAsync(HttpClient admin, string tenant, string name = "marketplace app")
    {
        var response = await admin.PostAsJsonAsync($"/v1/tenants/{tenant}/apps", new { name, scopes = new[] { "catalogue:read", "records:read" } });
        var app = await PlatformHost.ReadJsonAsync(response, HttpStatusCode.Created);
        return (app["clientId"]!.GetValue<string>(), app["clientSecret"]!.GetValue<string>());
    }

    internal static async Task<HttpClient> AppClientAsync(PlatformHost host, (string ClientId, string Secret) app) =>
        OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, app.ClientId, app.Secret));

    [DatabaseTheory, OnEachDatabase]
    public async Task A_manually_approved_subscription_binds_the_app_to_the_plans_limits_and_the_products_dataset(string db)
    {
        var host = await hosts.GetAsync(db);
        var owner = host.As(Owner, "tenant:admin", "datasets:write", "catalogue:read");
        var product = "air-api-" + db;
        var created = await owner.PostAsJsonAsync("/v1/products", Product(product, AirQuality, status: "published"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var (tenant, admin) = await ConsumerAsync(host, "subscriber-" + db);
        var app = await AppAsync(admin, tenant);
        var (_, stranger) = await ConsumerAsync(host, "stranger-" + db);

        // Refusals first: an outdated agreement, an app of another tenant, a plan the product lacks.
        await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync("/v1/subscriptions", new { productId = product, plan = "basic", appId = app.ClientId, agreementVersion = "0.9" }),
            HttpStatusCode.Conflict, "subscription.agreement_outdated");
        var foreign = await stranger.PostAsJsonAsync("/v1/subscriptions", new { productId = product, plan = "basic", appId = app.ClientId, agreementVersion = "1.0" });
        Assert.NotNull((await ProblemAssert.IsProblemAsync(foreign, HttpStatusCode.BadRequest, "request.validation"))["errors"]!["appId"]);
        var noPlan = await admin.PostAsJsonAsync("/v1/subscriptions", new { productId = product, plan = "gold", appId = app.ClientId, agreementVersion = "1.0" });
        Assert.NotNull((await ProblemAssert.IsProblemAsync(noPlan, HttpStatusCode.BadRequest, "request.validation"))["errors"]!["plan"]);

        var subscribed = await admin.PostAsJsonAsync("/v1/subscriptions", new { productId = product, plan = "basic", appId = app.ClientId, agreementVersion = "1.0" });
        var subscription = await PlatformHost.ReadJsonAsync(subscribed, HttpStatusCode.Created);
        var id = subscription["id"]!.GetValue<string>();
        Assert.Equal("pending", subscription["status"]!.GetValue<string>());
        Assert.Equal("1.0", subscription["agreementVersion"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync("/v1/subscriptions", new { productId = product, plan = "pro", appId = app.ClientId, agreementVersion = "1.0" }),
            HttpStatusCode.Conflict, "subscription.app_taken");

        // Pending: the app reads as before (its tenant's plan, every dataset); the subscriber cannot approve itself.
        var client = await AppClientAsync(host, app);
        var before = await client.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.DoesNotContain(id, before.Headers.GetValues("RateLimit-Policy").Single(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync($"/v1/subscriptions/{id}/decision", new { decision = "approve" }),
            HttpStatusCode.Forbidden, "subscription.not_provider");
        Assert.Contains(id, await owner.GetStringAsync("/v1/subscriptions?role=provider"), StringComparison.Ordinal);
        var approved = await PlatformHost.ReadJsonAsync(await owner.PostAsJsonAsync($"/v1/subscriptions/{id}/decision", new { decision = "approve", reason = "欢迎" }));
        Assert.Equal("active", approved["status"]!.GetValue<string>());
        Assert.Equal("basic", approved["periods"]![0]!["plan"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync($"/v1/subscriptions/{id}/decision", new { decision = "reject", reason = "改主意" }),
            HttpStatusCode.Conflict, "subscription.invalid_status");

        // Active: the plan's 3 requests a day, under policies named by the subscription; another dataset is out of scope.
        var first = await client.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains($"\"{id}/daily\";q=3;w=86400", first.Headers.GetValues("RateLimit-Policy").Single(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=1"), HttpStatusCode.Forbidden, "records.outside_app_scope");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1")).StatusCode);
        var refused = await client.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1");
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        Assert.Equal($"{id}/daily", problem["policy"]!.GetValue<string>());
        Assert.Contains($"'{product}/basic'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        // The subscriber's other apps are not held back: the tenant's own allowance is apart.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1")).StatusCode);

        // Upgrading applies to the next request (a plan of 1,000 a day; the day's count goes on).
        var changed = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync($"/v1/subscriptions/{id}/change", new { plan = "pro" }));
        Assert.Equal("pro", changed["plan"]!.GetValue<string>());
        var upgraded = await client.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1");
        Assert.Equal(HttpStatusCode.OK, upgraded.StatusCode);
        Assert.Contains($"\"{id}/daily\";q=1000;w=86400", upgraded.Headers.GetValues("RateLimit-Policy").Single(), StringComparison.Ordinal);

        // Cancelled: the app is free again (its tenant's plan, any dataset); a cancelled subscription changes no more.
        var cancelled = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync($"/v1/subscriptions/{id}/cancel", new { reason = "项目结束" }));
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        var freed = await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=1");
        Assert.Equal(HttpStatusCode.OK, freed.StatusCode);
        Assert.DoesNotContain(id, freed.Headers.GetValues("RateLimit-Policy").Single(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync($"/v1/subscriptions/{id}/change", new { plan = "basic" }),
            HttpStatusCode.Conflict, "subscription.invalid_status");

        // Each step is audited for the provider to see, with the plan and price accepted.
        var audit = (await PlatformHost.ReadJsonAsync(await owner.GetAsync("/v1/audit?limit=200")))["items"]!.AsArray()
            .Where(e => e!["subject"]?.GetValue<string>() == id).Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["subscription.created", "subscription.decided", "subscription.plan_changed", "subscription.cancelled"], audit);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_subscriber_accepts_a_new_agreement_version_to_change_plan_and_a_rejection_leaves_the_app_as_it_was(string db)
    {
        var host = await hosts.GetAsync(db);
        var owner = host.As(Owner, "tenant:admin", "datasets:write", "catalogue:read");
        var product = "auto-api-" + db;
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/v1/products", Product(product, AirQuality, approval: "auto", status: "published"))).StatusCode);
        var (tenant, admin) = await ConsumerAsync(host, "auto-subscriber-" + db);
        var app = await AppAsync(admin, tenant);
        var active = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync("/v1/subscriptions",
            new { productId = product, plan = "basic", appId = app.ClientId, agreementVersion = "1.0" }), HttpStatusCode.Created);
        Assert.Equal("active", active["status"]!.GetValue<string>());
        var id = active["id"]!.GetValue<string>();

        // New terms: changing plan needs them accepted, and the subscription records the version.
        Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync($"/v1/products/{product}", new { agreement = new { version = "2.0", text = "新条款" } })).StatusCode);
        await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync($"/v1/subscriptions/{id}/change", new { plan = "pro" }), HttpStatusCode.Conflict, "subscription.agreement_outdated");
        var changed = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync($"/v1/subscriptions/{id}/change", new { plan = "pro", agreementVersion = "2.0" }));
        Assert.Equal("2.0", changed["agreementVersion"]!.GetValue<string>());

        // A second product with manual approval, rejected: the app stays unbound.
        var manual = "manual-api-" + db;
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/v1/products", Product(manual, AirQuality, status: "published"))).StatusCode);
        var other = await AppAsync(admin, tenant, "second app");
        var pending = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync("/v1/subscriptions",
            new { productId = manual, plan = "basic", appId = other.ClientId, agreementVersion = "1.0" }), HttpStatusCode.Created);
        var pendingId = pending["id"]!.GetValue<string>();
        await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync($"/v1/subscriptions/{pendingId}/decision", new { decision = "reject" }),
            HttpStatusCode.BadRequest, "request.validation");
        var rejected = await PlatformHost.ReadJsonAsync(await owner.PostAsJsonAsync($"/v1/subscriptions/{pendingId}/decision", new { decision = "reject", reason = "用途不符" }));
        Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
        Assert.Empty(rejected["periods"]!.AsArray());
        var client = await AppClientAsync(host, other);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=1")).StatusCode);

        // Retiring the first product tells its subscriber; with no notice the subscription has ended and allows nothing.
        Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync($"/v1/products/{product}", new { status = "retired", noticeDays = 0 })).StatusCode);
        var ended = await PlatformHost.ReadJsonAsync(await admin.GetAsync($"/v1/subscriptions/{id}"));
        Assert.Equal("ended", ended["status"]!.GetValue<string>());
        var bound = await AppClientAsync(host, app);
        await ProblemAssert.IsProblemAsync(await bound.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1"), HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        var listed = JsonNode.Parse(await admin.GetStringAsync("/v1/subscriptions"))!["items"]!.AsArray();
        Assert.Equal(2, listed.Count);
    }
}
