using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;
using OpenData.Tests.Sandbox;
using static OpenData.Tests.Infrastructure.QuotaScenarios;

namespace OpenData.Tests.Tenancy;

/// <summary>
/// Apps bound to a plan and to datasets (<see cref="AppBounds"/>), as a contest's approval issues a team's sandbox credentials
/// through <see cref="TenancyService.CreateBoundAppAsync"/>: the token says the plan and the datasets; rows of those datasets are
/// served and of any other refused (REST pages, exports, GraphQL, the twin report) while the catalogue stays open; the app's
/// requests count under its own plan apart from its tenant's; a change of bounds applies to the next token and the next request;
/// an unbound app is as before.
/// </summary>
public sealed class BoundAppTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private const string Hotline = "hotline-12345-requests";
    private const string AirQuality = "ningbo-air-quality-daily";
    private const string OutsideScope = "records.outside_app_scope";
    private const string OperatorEmail = "operator@demo.opendata.local";
    private const string DemoPassword = "demo-password-2026";

    private static async Task<string> ConsumerTenantAsync(PlatformHost host, string id)
    {
        var created = await host.Required<TenancyService>().CreateTenantAsync(new NewTenant(id, id, "consumer", null, null), CancellationToken.None);
        Assert.Null(created.Refusal);
        return id;
    }

    private static Task<AppCredentials> BoundAppAsync(PlatformHost host, string tenant, string environment, AppBounds bounds, params string[] scopes) =>
        host.Required<TenancyService>().CreateBoundAppAsync(tenant, new NewApp("contest team", scopes.Length == 0 ? null : scopes, environment, null), bounds,
            "person:organiser", CancellationToken.None);

    private static async Task<(string Token, HttpClient Client)> SignInAsync(PlatformHost host, AppCredentials app)
    {
        var token = await OAuthFlows.ClientTokenAsync(host, app.ClientId, app.ClientSecret);
        return (token, OAuthFlows.Bearer(host, token));
    }

    /// <summary>The claims of an access token as it was issued (its JWT payload), read without the API.</summary>
    private static JsonNode Payload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Convert.FromBase64String(part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')))!;
    }

    private static ClaimsPrincipal Operator() => new(new ClaimsIdentity([new Claim(PlatformClaims.Scope, Scopes.PlatformAdmin)], "test"));

    [DatabaseTheory, OnEachDatabase]
    public async Task A_bound_sandbox_apps_token_carries_its_plan_and_datasets_and_it_reads_those_datasets_and_no_other(string db)
    {
        var host = await hosts.GetAsync(db);
        var tenant = await ConsumerTenantAsync(host, "bound-team-reads");
        var app = await BoundAppAsync(host, tenant, "sandbox", new AppBounds("contest", [Hotline]));
        Assert.StartsWith("sbx_", app.ClientId, StringComparison.Ordinal);
        var (token, team) = await SignInAsync(host, app);
        var claims = Payload(token);
        Assert.Equal("contest", claims["plan"]!.GetValue<string>());
        Assert.Equal(Hotline, claims["datasets"]!.GetValue<string>());
        Assert.Equal("sandbox", claims["env"]!.GetValue<string>());
        var me = await PlatformHost.ReadJsonAsync(await team.GetAsync("/v1/me"));
        Assert.Equal("contest", me["plan"]!.GetValue<string>());
        Assert.Equal(tenant, me["tenant"]!.GetValue<string>());

        // In scope: the restricted dataset's twin, as pages, export and GraphQL.
        var page = await TwinServingTests.WhenServedAsync(team, $"/v1/datasets/{Hotline}/records?limit=3");
        Assert.True(page.StatusCode == HttpStatusCode.OK, await page.Content.ReadAsStringAsync());
        Assert.Equal(3, (await PlatformHost.ReadJsonAsync(page))["items"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.OK, (await team.GetAsync($"/v1/datasets/{Hotline}/export?format=csv")).StatusCode);
        var graph = (await GraphQLCalls.PostAsync(team, """query ($id: ID!) { dataset(id: $id) { records(first: 2) { items } } }""", new { id = Hotline })).Ok();
        Assert.Equal(2, graph["dataset"]!["records"]!["items"]!.AsArray().Count);

        // Out of scope: an open dataset, refused alike on each way in, with a detail that names it and the app's datasets.
        var refused = await ProblemAssert.IsProblemAsync(await team.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1"), HttpStatusCode.Forbidden, OutsideScope);
        var detail = refused["detail"]!.GetValue<string>();
        Assert.Contains(AirQuality, detail, StringComparison.Ordinal);
        Assert.Contains(Hotline, detail, StringComparison.Ordinal);
        Assert.Contains("only the datasets", detail, StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await team.GetAsync($"/v1/datasets/{AirQuality}/export?format=csv"), HttpStatusCode.Forbidden, OutsideScope);
        var error = (await GraphQLCalls.PostAsync(team, """query ($id: ID!) { dataset(id: $id) { records(first: 1) { items } } }""", new { id = AirQuality })).Error(OutsideScope);
        Assert.Equal(403, error["extensions"]!["status"]!.GetValue<int>());
        // The catalogue stays open: the dataset's description and the search list it.
        Assert.Equal(HttpStatusCode.OK, (await team.GetAsync($"/v1/datasets/{AirQuality}")).StatusCode);
        Assert.Contains((await PlatformHost.ReadJsonAsync(await team.GetAsync("/v1/datasets?limit=100")))["items"]!.AsArray(),
            d => d!["id"]!.GetValue<string>() == AirQuality);

        // The operator sees the bounds in the tenant's app list; the app's creation is audited with them and the organiser as actor.
        var tenancy = host.Required<TenancyService>();
        var listed = Assert.Single((await tenancy.ListAppsAsync(Operator(), tenant, CancellationToken.None)).Value!.Items);
        Assert.Equal("contest", listed.Plan);
        Assert.Equal(new[] { Hotline }, listed.Datasets!.ToArray());
        var json = JsonSerializer.Serialize(listed, Json);
        Assert.Contains("\"plan\":\"contest\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"datasets\":[\"{Hotline}\"]", json, StringComparison.Ordinal);
        var created = JsonNode.Parse((string)(await host.QueryScalarAsync(
            $"SELECT details FROM audit_log WHERE type = 'app.created' AND subject = '{app.Id}'"))!)!;
        Assert.Equal("contest", created["plan"]!.GetValue<string>());
        Assert.Equal(Hotline, created["datasets"]![0]!.GetValue<string>());
        Assert.Equal("person:organiser", await host.QueryScalarAsync($"SELECT actor_app FROM audit_log WHERE type = 'app.created' AND subject = '{app.Id}'"));

        // The operator's page of the tenant shows them too.
        using var browser = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, OperatorEmail, DemoPassword)).StatusCode);
        var tenantPage = await browser.GetStringAsync($"/console/tenants/{tenant}");
        Assert.Contains("data-bound-plan=\"contest\"", tenantPage, StringComparison.Ordinal);
        Assert.Contains($"data-bound-datasets=\"{Hotline}\"", tenantPage, StringComparison.Ordinal);

        // The portal's try-it console acts as the app under the same bounds.
        var person = new ClaimsPrincipal(new ClaimsIdentity([new Claim(PlatformClaims.Tenant, tenant)], "test"));
        var asApp = (await tenancy.ActAsAppAsync(person, app.Id, CancellationToken.None)).Value!;
        Assert.Equal("contest", asApp.AppPlan());
        Assert.Equal(new[] { Hotline }, asApp.DatasetScope()!.ToArray());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_unbound_app_is_as_before(string db)
    {
        var host = await hosts.GetAsync(db);
        var tenant = await ConsumerTenantAsync(host, "unbound-team");
        var app = await host.Required<TenancyService>().CreateBoundAppAsync(tenant, new NewApp("unbound", null, "sandbox", null), AppBounds.None, null, CancellationToken.None);
        var (token, client) = await SignInAsync(host, app);
        var claims = Payload(token);
        Assert.Null(claims["plan"]);
        Assert.Null(claims["datasets"]);
        Assert.Equal("free", (await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/me")))["plan"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await TwinServingTests.WhenServedAsync(client, $"/v1/datasets/{Hotline}/records?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TwinServingTests.WhenServedAsync(client, $"/v1/datasets/{AirQuality}/records?limit=1")).StatusCode);
        var quota = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/quota"));
        Assert.Equal("free", quota["plan"]!.GetValue<string>());
        var listed = Assert.Single((await host.Required<TenancyService>().ListAppsAsync(Operator(), tenant, CancellationToken.None)).Value!.Items);
        Assert.Null(listed.Plan);
        Assert.Null(listed.Datasets);
        var json = JsonSerializer.Serialize(listed, Json);
        using var browser = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, OperatorEmail, DemoPassword)).StatusCode);
        var page = await browser.GetStringAsync($"/console/tenants/{tenant}");
        Assert.Contains($"data-client-id=\"{app.ClientId}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-bounds", page, StringComparison.Ordinal);
        Assert.DoesNotContain("\"plan\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"datasets\"", json, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Changed_bounds_apply_to_the_next_token_and_to_the_tokens_already_issued_from_the_next_request(string db)
    {
        var host = await hosts.GetAsync(db);
        var tenant = await ConsumerTenantAsync(host, "bound-team-changes");
        var tenancy = host.Required<TenancyService>();
        var app = await BoundAppAsync(host, tenant, "sandbox", new AppBounds("contest", [Hotline]));
        var (_, before) = await SignInAsync(host, app);
        Assert.Equal(HttpStatusCode.OK, (await TwinServingTests.WhenServedAsync(before, $"/v1/datasets/{Hotline}/records?limit=1")).StatusCode);
        await ProblemAssert.IsProblemAsync(await before.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1"), HttpStatusCode.Forbidden, OutsideScope);

        // The contest's datasets change: the next token says so, and the token issued before reads under the new bounds too.
        await tenancy.SetAppBoundsAsync(app.Id, new AppBounds("contest", [AirQuality]), CancellationToken.None);
        var (token, after) = await SignInAsync(host, app);
        Assert.Equal(AirQuality, Payload(token)["datasets"]!.GetValue<string>());
        foreach (var client in new[] { after, before })
        {
            Assert.Equal(HttpStatusCode.OK, (await TwinServingTests.WhenServedAsync(client, $"/v1/datasets/{AirQuality}/records?limit=1")).StatusCode);
            await ProblemAssert.IsProblemAsync(await client.GetAsync($"/v1/datasets/{Hotline}/records?limit=1"), HttpStatusCode.Forbidden, OutsideScope);
        }
        Assert.Equal(1L, Convert.ToInt64(await host.QueryScalarAsync($"SELECT COUNT(*) FROM audit_log WHERE type = 'app.bounds_changed' AND subject = '{app.Id}'"),
            System.Globalization.CultureInfo.InvariantCulture));

        // Bound to no dataset (the contest's were all withdrawn): the token carries an empty list, and reads nothing; the catalogue stays open.
        await tenancy.SetAppBoundsAsync(app.Id, new AppBounds("contest", []), CancellationToken.None);
        var (empty, none) = await SignInAsync(host, app);
        Assert.Equal("", Payload(empty)["datasets"]!.GetValue<string>());
        var problem = await ProblemAssert.IsProblemAsync(await none.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1"), HttpStatusCode.Forbidden, OutsideScope);
        Assert.Contains("issued for none", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await none.GetAsync($"/v1/datasets/{AirQuality}")).StatusCode);

        // Unbound: as its tenant, old tokens included.
        await tenancy.SetAppBoundsAsync(app.Id, AppBounds.None, CancellationToken.None);
        var (free, unbound) = await SignInAsync(host, app);
        Assert.Null(Payload(free)["plan"]);
        Assert.Equal(HttpStatusCode.OK, (await TwinServingTests.WhenServedAsync(before, $"/v1/datasets/{Hotline}/records?limit=1")).StatusCode);
        Assert.Equal("free", (await PlatformHost.ReadJsonAsync(await unbound.GetAsync("/v1/me")))["plan"]!.GetValue<string>());
        Assert.Equal("free", (await PlatformHost.ReadJsonAsync(await before.GetAsync("/v1/me")))["plan"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_node_whose_view_of_the_bounds_is_older_than_the_token_asks_the_store_rather_than_drop_them(string db)
    {
        // Two nodes behind one issuer that reload their view of apps only hourly; the second reads it before the team's app exists.
        var settings = new Dictionary<string, string?> { ["OpenData:Auth:VoidCheckSeconds"] = "3600", ["OpenData:Auth:Issuer"] = "http://localhost/" };
        await using var first = await PlatformHost.StartAsync(db, settings);
        await using var second = await first.StartPeerAsync();
        var tenant = await ConsumerTenantAsync(first, "two-node-team");
        var other = await first.Required<TenancyService>().CreateBoundAppAsync(tenant, new NewApp("other", null, "live", null), AppBounds.None, null, CancellationToken.None);
        var otherToken = await OAuthFlows.ClientTokenAsync(first, other.ClientId, other.ClientSecret);
        Assert.Equal(HttpStatusCode.OK, (await OAuthFlows.Bearer(second, otherToken).GetAsync($"/v1/datasets/{AirQuality}/records?limit=1")).StatusCode);

        var app = await BoundAppAsync(first, tenant, "live", new AppBounds("contest", ["ningbo-villages"]));
        var token = await OAuthFlows.ClientTokenAsync(first, app.ClientId, app.ClientSecret);
        var team = OAuthFlows.Bearer(second, token);
        await ProblemAssert.IsProblemAsync(await team.GetAsync($"/v1/datasets/{AirQuality}/records?limit=1"), HttpStatusCode.Forbidden, OutsideScope);
        Assert.Equal(HttpStatusCode.OK, (await team.GetAsync("/v1/datasets/ningbo-villages/records?limit=1")).StatusCode);
        Assert.Equal("contest", (await PlatformHost.ReadJsonAsync(await team.GetAsync("/v1/me")))["plan"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_twin_report_refuses_a_bound_app_a_dataset_outside_its_scope(string db)
    {
        var host = await hosts.GetAsync(db);
        await TwinServingTests.WhenServedAsync(TwinServingTests.Sandbox(host), $"/v1/datasets/{Hotline}/records?limit=1");
        var owner = (string)(await host.QueryScalarAsync($"SELECT owner_id FROM datasets WHERE id = '{Hotline}'"))!;
        // A live app of the owner bound to another dataset: the report of its own dataset is refused as a read of it would be.
        var app = await BoundAppAsync(host, owner, "live", new AppBounds(null, [AirQuality]), "catalogue:read", "datasets:write");
        var (token, client) = await SignInAsync(host, app);
        Assert.Null(Payload(token)["plan"]);
        var refused = await ProblemAssert.IsProblemAsync(await client.GetAsync($"/v1/datasets/{Hotline}/twin"), HttpStatusCode.Forbidden, OutsideScope);
        Assert.Contains(Hotline, refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await host.Required<TenancyService>().SetAppBoundsAsync(app.Id, new AppBounds(null, [AirQuality, Hotline]), CancellationToken.None);
        var twin = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{Hotline}/twin"));
        Assert.Equal("ready", twin["status"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_bound_app_counts_under_its_own_plan_and_neither_spends_its_tenants_allowance_nor_the_other_way_round(string db)
    {
        const string plans = """
            plans:
              anonymous: {ratePerSecond: 1000, burst: 1000, dailyRequests: 100, dailyRows: 100000, exportRows: 100000}
              free: {ratePerSecond: 1000, burst: 1000, dailyRequests: 1000, dailyRows: 250000, exportRows: 50000}
              contest: {ratePerSecond: 1000, burst: 777, dailyRequests: 3, dailyRows: 333000, exportRows: 100000}
              partner: {ratePerSecond: 1000, burst: 1000, dailyRequests: 100000, dailyRows: 100000000, exportRows: 100000000}
              operator: {ratePerSecond: unlimited, burst: unlimited, dailyRequests: unlimited, dailyRows: unlimited, exportRows: unlimited}
            """;
        await using var host = await StartAsync(db, plans);
        // The tenant's own allowance is overridden to 4 a day; the bound app's plan is the contest's, overrides or not.
        await CreateTenantAsync(host, "quota-team", "free", new { dailyRequests = 4 });
        var tenantApp = host.As("quota-team", "catalogue:read", "records:read");
        var app = await BoundAppAsync(host, "quota-team", "live", new AppBounds("contest", ["ningbo-villages"]));
        var (_, team) = await SignInAsync(host, app);
        const string url = "/v1/datasets/ningbo-villages/records?limit=1";

        // The tenant spends its 4; the team still has its 3.
        for (var i = 1; i <= 4; i++)
        {
            var ok = await tenantApp.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("1000", Fields(ok, "RateLimit-Policy")["burst"]["q"]);
            Assert.Equal("4", Fields(ok, "RateLimit-Policy")["daily"]["q"]);
            Assert.Equal((4 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Fields(ok, "RateLimit")["daily"]["r"]);
        }
        await ProblemAssert.IsProblemAsync(await tenantApp.GetAsync(url), HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        for (var i = 1; i <= 3; i++)
        {
            var ok = await team.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var policy = Fields(ok, "RateLimit-Policy");
            Assert.Equal("777", policy["burst"]["q"]);
            Assert.Equal("3", policy["daily"]["q"]);
            Assert.Equal("333000", policy["rows"]["q"]);
            Assert.Equal((3 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Fields(ok, "RateLimit")["daily"]["r"]);
        }
        var spent = await ProblemAssert.IsProblemAsync(await team.GetAsync(url), HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        Assert.Contains("'contest' plan", spent["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var quota = await PlatformHost.ReadJsonAsync(await team.GetAsync("/v1/quota"));
        Assert.Equal("contest", quota["plan"]!.GetValue<string>());
        Assert.Equal("quota-team", quota["tenant"]!.GetValue<string>());
        Assert.Equal(3, quota["limits"]!["dailyRequests"]!.GetValue<long>());
        Assert.Equal(0, quota["remaining"]!["dailyRequests"]!.GetValue<long>());
        var tenantQuota = await PlatformHost.ReadJsonAsync(await tenantApp.GetAsync("/v1/quota"));
        Assert.Equal("free", tenantQuota["plan"]!.GetValue<string>());
        Assert.Equal(4, tenantQuota["limits"]!["dailyRequests"]!.GetValue<long>());

        // Usage is still the tenant's, per app: the team's four requests (one throttled) under its client id.
        var usage = await PlatformHost.ReadJsonAsync(await QuotaScenarios.Operator(host).GetAsync("/v1/usage?tenant=quota-team"));
        Assert.Equal("quota-team", usage["tenant"]!.GetValue<string>());
        var rows = usage["items"]!.AsArray();
        var teamRows = rows.Where(r => r!["app"]!.GetValue<string>() == app.ClientId).ToList();
        Assert.Equal(4, teamRows.Sum(r => r!["requests"]!.GetValue<long>()));
        Assert.Equal(1, teamRows.Sum(r => r!["throttled"]!.GetValue<long>()));
        Assert.Equal(5, rows.Where(r => r!["app"]!.GetValue<string>() != app.ClientId).Sum(r => r!["requests"]!.GetValue<long>()));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Bounds_are_checked_the_public_route_takes_none_and_an_unknown_plan_is_refused(string db)
    {
        var host = await hosts.GetAsync(db);
        var tenant = await ConsumerTenantAsync(host, "bound-team-checks");
        var tenancy = host.Required<TenancyService>();
        await Assert.ThrowsAsync<ArgumentException>(() => BoundAppAsync(host, tenant, "sandbox", new AppBounds("gold", [Hotline])));
        await Assert.ThrowsAsync<ArgumentException>(() => BoundAppAsync(host, tenant, "sandbox", new AppBounds("anonymous", null)));
        await Assert.ThrowsAsync<ArgumentException>(() => BoundAppAsync(host, tenant, "sandbox", new AppBounds("contest", ["Not A Dataset"])));
        await Assert.ThrowsAsync<ArgumentException>(() => BoundAppAsync(host, "no-such-tenant", "sandbox", new AppBounds("contest", [Hotline])));
        await Assert.ThrowsAsync<ArgumentException>(() => BoundAppAsync(host, tenant, "sandbox", new AppBounds("contest", [Hotline]), "platform:admin"));
        await Assert.ThrowsAsync<ArgumentException>(() => tenancy.CreateBoundAppAsync(tenant, new NewApp("web", null, "live", ["https://team.example/cb"]),
            new AppBounds("contest", [Hotline]), null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => tenancy.SetAppBoundsAsync("app-none", new AppBounds("contest", null), CancellationToken.None));
        Assert.Empty((await tenancy.ListAppsAsync(Operator(), tenant, CancellationToken.None)).Value!.Items);

        // The public route ignores bounds in the body: the app it registers is bound by nothing.
        var op = QuotaScenarios.Operator(host);
        var created = await PlatformHost.ReadJsonAsync(await op.PostAsync($"/v1/tenants/{tenant}/apps", new StringContent(
            $$"""{"name": "self-made", "environment": "sandbox", "plan": "partner", "datasets": ["{{Hotline}}"]}""", System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.Created);
        var listed = Assert.Single((await tenancy.ListAppsAsync(Operator(), tenant, CancellationToken.None)).Value!.Items);
        Assert.Equal(created["id"]!.GetValue<string>(), listed.Id);
        Assert.Null(listed.Plan);
        Assert.Null(listed.Datasets);
        var token = await OAuthFlows.ClientTokenAsync(host, created["clientId"]!.GetValue<string>(), created["clientSecret"]!.GetValue<string>());
        Assert.Null(Payload(token)["plan"]);
    }

    private static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions();
        PlatformJson.Configure(options);
        return options;
    }
}
