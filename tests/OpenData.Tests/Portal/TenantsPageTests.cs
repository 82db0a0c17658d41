using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The operator's tenants pages on the real host: search by name or id, kind and plan, a page at a time; a tenant's page
/// changes its plan and overrides single limits through the service of <c>PATCH /v1/tenants/{id}</c> — the consumer's
/// <c>GET /v1/quota</c> and its person's quota gauge follow at once, a bad value is refused on its field — disables it with a
/// reason (its tokens and its people's sessions stop) and enables it again, and disables one of its apps. Nobody but an
/// operator opens these pages.
/// </summary>
public sealed partial class TenantsPageTests
{
    private const string DemoPassword = "demo-password-2026";
    private const string OperatorEmail = "operator@demo.opendata.local";
    private const string DeveloperEmail = "developer@demo.opendata.local";
    private const string Consumer = "demo-consumer";

    // Plans that differ, so the page's plan values and the limits in force can be told apart (generous enough for the test).
    private const string Plans = """
        plans:
          anonymous: {ratePerSecond: 1000, burst: 1000, dailyRequests: 100000, dailyRows: 1000000, exportRows: 1000000}
          free: {ratePerSecond: 1000, burst: 1000, dailyRequests: 20000, dailyRows: 2000000, exportRows: 200000}
          contest: {ratePerSecond: 1000, burst: 1000, dailyRequests: 50000, dailyRows: 5000000, exportRows: 1000000}
          partner: {ratePerSecond: 1000, burst: 1000, dailyRequests: 1000000, dailyRows: 100000000, exportRows: 10000000}
          operator: {ratePerSecond: unlimited, burst: unlimited, dailyRequests: unlimited, dailyRows: unlimited, exportRows: unlimited}
        """;

    [DatabaseTheory, OnEachDatabase]
    public async Task The_operator_finds_tenants_by_name_or_id_kind_and_plan_a_page_at_a_time(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var op = host.As("platform", "platform:admin", "tenant:admin");
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { id = "tp-alpha", name = "阿尔法数据公司", kind = "consumer" }), HttpStatusCode.Created);
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { id = "tp-beta", name = "Beta Analytics", kind = "consumer", plan = "partner" }), HttpStatusCode.Created);
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { id = "tp-owner", name = "宁波市测试局", kind = "owner" }), HttpStatusCode.Created);
        using var browser = await SignInAsync(host, OperatorEmail);

        var byName = await PageAsync(browser, "/console/tenants?q=" + Uri.EscapeDataString("阿尔法"));
        Assert.Equal(["tp-alpha"], Listed(byName));
        Assert.Contains("aria-current=\"page\" href=\"/console/tenants\"", byName, StringComparison.Ordinal);
        // By id, without regard to case; the members and apps counted.
        Assert.Equal(["tp-alpha", "tp-beta", "tp-owner"], Listed(await PageAsync(browser, "/console/tenants?q=TP-")).Order(StringComparer.Ordinal));
        var owners = Listed(await PageAsync(browser, "/console/tenants?kind=owner"));
        Assert.Contains("tp-owner", owners);
        Assert.Contains("ningbo-civil-affairs", owners);
        Assert.DoesNotContain("tp-alpha", owners);
        Assert.DoesNotContain(Consumer, owners);
        Assert.Equal(["tp-beta"], Listed(await PageAsync(browser, "/console/tenants?q=tp-&kind=consumer&plan=partner")));
        var platform = await PageAsync(browser, "/console/tenants?kind=platform");
        Assert.Equal(["platform"], Listed(platform));
        Assert.Matches("(?s)data-tenant=\"platform\".*?<td class=\"text-end\">[1-9]", platform);
        var none = await PageAsync(browser, "/console/tenants?q=" + Uri.EscapeDataString("100%_不存在"));
        Assert.Contains("data-no-tenants", none, StringComparison.Ordinal);

        // A kind or plan that does not exist: refused on its field.
        var bad = await browser.GetAsync("/console/tenants?kind=robot&plan=gold");
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("data-field-error=\"kind\"", badHtml, StringComparison.Ordinal);
        Assert.Contains("data-field-error=\"plan\"", badHtml, StringComparison.Ordinal);

        // Twenty to a page, the rest on the next.
        for (var i = 0; i < 21; i++)
        {
            await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { id = $"tp-page-{i:00}", name = $"分页 {i:00}", kind = "consumer" }), HttpStatusCode.Created);
        }
        var first = await PageAsync(browser, "/console/tenants?q=tp-page");
        Assert.Contains("data-total=\"21\"", first, StringComparison.Ordinal);
        Assert.Equal(20, Listed(first).Count);
        Assert.Contains("href=\"/console/tenants?q=tp-page&amp;page=2\"", first, StringComparison.Ordinal);
        Assert.Equal(["tp-page-20"], Listed(await PageAsync(browser, "/console/tenants?q=tp-page&page=2")));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_override_of_daily_rows_reaches_the_consumers_quota_and_its_gauge_and_a_bad_value_is_refused_on_its_field(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Policies:Directory"] = TestPolicies.Folder(plans: Plans) });
        using var browser = await SignInAsync(host, OperatorEmail);
        var page = await PageAsync(browser, $"/console/tenants/{Consumer}");
        Assert.Contains($"data-tenant-page=\"{Consumer}\"", page, StringComparison.Ordinal);
        Assert.Contains("data-limit=\"dailyRows\" data-plan-value=\"2000000\"", page, StringComparison.Ordinal);
        Assert.Contains("data-effective=\"2000000\"", page, StringComparison.Ordinal);
        Assert.Contains("data-members=\"1\"", page, StringComparison.Ordinal);
        Assert.Contains("data-client-id=\"demo-consumer-app\"", page, StringComparison.Ordinal);

        var saved = await PostAsync(browser, page, "Limits", ("limits.dailyRows", "12345"), ("limits.exportRows", " "));
        var savedHtml = await saved.Content.ReadAsStringAsync();
        Assert.True(saved.StatusCode == HttpStatusCode.OK, savedHtml);
        Assert.Contains("data-done=\"Tenant.LimitsSaved\"", savedHtml, StringComparison.Ordinal);
        Assert.Matches("data-limit=\"dailyRows\" data-plan-value=\"2000000\"\\s+data-effective=\"12345\"", savedHtml);
        Assert.Contains("value=\"12345\"", savedHtml, StringComparison.Ordinal);

        // The consumer's quota, through its own app's token and through its person's usage page.
        var app = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, "demo-consumer-app", "demo-consumer-secret"));
        var quota = await PlatformHost.ReadJsonAsync(await app.GetAsync("/v1/quota"));
        Assert.Equal(12345, quota["limits"]!["dailyRows"]!.GetValue<long>());
        Assert.Equal(20000, quota["limits"]!["dailyRequests"]!.GetValue<long>());
        using (var developer = await SignInAsync(host, DeveloperEmail))
        {
            var usage = await PageAsync(developer, "/console/usage");
            Assert.Matches("data-quota-used=\"rows\" data-used=\"\\d+\" data-limit=\"12345\"", usage);
            Assert.Contains("12,345", usage, StringComparison.Ordinal);
        }

        // Not a number, or negative: refused on the field (400), in the page's language; nothing changes.
        foreach (var bad in new[] { "很多", "-5", "1.5" })
        {
            var refused = await PostAsync(browser, page, "Limits", ("limits.dailyRows", bad));
            var html = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{bad}: {(int)refused.StatusCode}");
            Assert.Contains("data-field-error=\"limits.dailyRows\">请输入不小于 0 的整数，或留空。<", html, StringComparison.Ordinal);
            Assert.Contains($"value=\"{bad}\"", html, StringComparison.Ordinal);
        }
        var op = host.As("platform", "platform:admin", "tenant:admin");
        Assert.Equal(12345, (await PlatformHost.ReadJsonAsync(await op.GetAsync($"/v1/tenants/{Consumer}")))["limits"]!["dailyRows"]!.GetValue<long>());

        // The plan: an unknown one refused on its field; another one changes the plan's values, the override stays on top.
        var gold = await PostAsync(browser, page, "Plan", ("plan", "gold"));
        Assert.Equal(HttpStatusCode.BadRequest, gold.StatusCode);
        Assert.Contains("data-field-error=\"plan\">请选择一个套餐。<", await gold.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var partner = await PostAsync(browser, page, "Plan", ("plan", "partner"));
        var partnerHtml = await partner.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, partner.StatusCode);
        Assert.Matches("data-limit=\"dailyRequests\" data-plan-value=\"1000000\"\\s+data-effective=\"1000000\"", partnerHtml);
        Assert.Matches("data-limit=\"dailyRows\" data-plan-value=\"100000000\"\\s+data-effective=\"12345\"", partnerHtml);
        Assert.Equal("partner", (await PlatformHost.ReadJsonAsync(await app.GetAsync("/v1/quota")))["plan"]!.GetValue<string>());

        // Cleared: the plan's value again.
        var cleared = await PostAsync(browser, page, "Limits", ("limits.dailyRows", ""));
        Assert.Matches("data-limit=\"dailyRows\" data-plan-value=\"100000000\"\\s+data-effective=\"100000000\"", await cleared.Content.ReadAsStringAsync());
        Assert.Equal(100000000, (await PlatformHost.ReadJsonAsync(await app.GetAsync("/v1/quota")))["limits"]!["dailyRows"]!.GetValue<long>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Disabling_a_tenant_on_its_page_stops_its_token_and_signs_its_person_out_and_enabling_restores_both(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var app = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, "demo-consumer-app", "demo-consumer-secret"));
        using var developer = await SignInAsync(host, DeveloperEmail);
        Assert.Equal(HttpStatusCode.OK, (await developer.GetAsync("/console")).StatusCode);
        using var browser = await SignInAsync(host, OperatorEmail);
        var page = await PageAsync(browser, $"/console/tenants/{Consumer}");

        var noReason = await PostAsync(browser, page, "Disable", ("reason", " "));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("data-field-error=\"reason\">请填写原因，不超过 500 个字符。<", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/v1/me")).StatusCode);

        var disabled = await PostAsync(browser, page, "Disable", ("reason", "多次超量抓取"));
        var html = await disabled.Content.ReadAsStringAsync();
        Assert.True(disabled.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("data-done=\"Tenant.DisabledDone\"", html, StringComparison.Ordinal);
        Assert.Contains("data-disabled=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("多次超量抓取", html, StringComparison.Ordinal);
        Assert.Contains("data-enable-form", html, StringComparison.Ordinal);

        await ProblemAssert.IsProblemAsync(await app.GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "auth.token_required");
        var signedOut = await developer.GetAsync("/console/usage");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Contains("/account/signin", signedOut.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using (var again = OAuthFlows.Browser(host))
        {
            var refused = await OAuthFlows.SignInAsync(again, DeveloperEmail, DemoPassword);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("多次超量抓取", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var listed = await PageAsync(browser, "/console/tenants?q=demo-consumer");
        Assert.Contains($"data-tenant=\"{Consumer}\" data-kind=\"consumer\" data-plan=\"free\" data-disabled=\"true\"", listed, StringComparison.Ordinal);

        var enabled = await PostAsync(browser, html, "Enable");
        var enabledHtml = await enabled.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Contains("data-done=\"Tenant.EnabledDone\"", enabledHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/v1/me")).StatusCode);
        using var back = await SignInAsync(host, DeveloperEmail);
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/console/usage")).StatusCode);

        // The platform's own tenant has no disable form, and a forged post is refused.
        var own = await PageAsync(browser, "/console/tenants/platform");
        Assert.Contains("data-platform-protected", own, StringComparison.Ordinal);
        Assert.DoesNotContain("data-disable-form", own, StringComparison.Ordinal);
        var forged = await PostAsync(browser, own, "Disable", ("reason", "试试"));
        Assert.Equal(HttpStatusCode.Conflict, forged.StatusCode);
        Assert.Contains("平台自身的租户不能停用", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/console/tenants")).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_operator_disables_one_app_of_a_tenant_and_only_that_apps_tokens_stop(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var op = host.As("platform", "platform:admin", "tenant:admin");
        var other = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{Consumer}/apps", new { name = "第二个应用" }), HttpStatusCode.Created);
        var kept = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, other["clientId"]!.GetValue<string>(), other["clientSecret"]!.GetValue<string>()));
        var app = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, "demo-consumer-app", "demo-consumer-secret"));
        using var browser = await SignInAsync(host, OperatorEmail);
        var page = await PageAsync(browser, $"/console/tenants/{Consumer}");
        var appId = Regex.Match(page, "data-app=\"([^\"]+)\" data-client-id=\"demo-consumer-app\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(appId), "the demo app is not listed");
        Assert.Contains("第二个应用", page, StringComparison.Ordinal);

        // An app of another tenant is not this page's to disable.
        var foreign = await PostAsync(browser, page, "DisableApp", ("appId", "app-demo-hotline"));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        var done = await PostAsync(browser, page, "DisableApp", ("appId", appId));
        var html = await done.Content.ReadAsStringAsync();
        Assert.True(done.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("data-done=\"Tenant.AppDisabledDone\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-app=\"{appId}\" data-client-id=\"demo-consumer-app\" data-disabled=\"true\"", html, StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await app.GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "auth.token_required");
        Assert.Equal(HttpStatusCode.OK, (await kept.GetAsync("/v1/me")).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Nobody_but_an_operator_opens_the_tenants_pages_or_changes_a_tenant_through_them(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        foreach (var email in new[] { DeveloperEmail, "owner@demo.opendata.local" })
        {
            using var browser = await SignInAsync(host, email);
            var console = await PageAsync(browser, "/console");
            Assert.DoesNotContain("href=\"/console/tenants\"", console, StringComparison.Ordinal);
            foreach (var path in new[] { "/console/tenants", $"/console/tenants/{Consumer}", "/console/tenants?kind=owner" })
            {
                var page = await browser.GetAsync(path);
                var html = await page.Content.ReadAsStringAsync();
                Assert.True(page.StatusCode == HttpStatusCode.Forbidden, $"{email} {path}: {(int)page.StatusCode}");
                Assert.Contains("data-not-operator", html, StringComparison.Ordinal);
                Assert.Contains("平台运营人员", html, StringComparison.Ordinal);
                Assert.DoesNotContain("demo-consumer-app", html, StringComparison.Ordinal);
            }
            var limits = await PostAsync(browser, console, "Limits", ("limits.dailyRows", "1"));
            Assert.Equal(HttpStatusCode.Forbidden, limits.StatusCode);
            var disable = await PostAsync(browser, console, "Disable", ("reason", "x"));
            Assert.Equal(HttpStatusCode.Forbidden, disable.StatusCode);
        }
        var tenant = await PlatformHost.ReadJsonAsync(await host.As("platform", "platform:admin").GetAsync($"/v1/tenants/{Consumer}"));
        Assert.Empty(tenant["limits"]!.AsObject());
        Assert.False(tenant["disabled"]!.GetValue<bool>());

        // The operator sees the tab; an unknown tenant is a 404 page.
        using var op = await SignInAsync(host, OperatorEmail);
        Assert.Contains("href=\"/console/tenants\"", await PageAsync(op, "/console"), StringComparison.Ordinal);
        var missing = await op.GetAsync("/console/tenants/no-such-tenant");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("data-tenant-not-found", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Without the page's antiforgery token nothing changes.
        var unguarded = await op.PostAsync($"/console/tenants/{Consumer}?handler=Disable", new FormUrlEncodedContent([new("reason", "x")]));
        Assert.Equal(HttpStatusCode.BadRequest, unguarded.StatusCode);
    }

    private static async Task<HttpClient> SignInAsync(PlatformHost host, string email)
    {
        var browser = OAuthFlows.Browser(host);
        var signedIn = await OAuthFlows.SignInAsync(browser, email, DemoPassword);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"{email}: {(int)signedIn.StatusCode} {await signedIn.Content.ReadAsStringAsync()}");
        return browser;
    }

    private static async Task<string> PageAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
        return html;
    }

    /// <summary>Posts a handler of the tenant page the HTML came from (its antiforgery token), with these fields.</summary>
    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string html, string handler, params (string Name, string Value)[] fields)
    {
        var tenant = Regex.Match(html, "data-tenant-page=\"([^\"]+)\"").Groups[1].Value;
        var path = $"/console/tenants/{(tenant.Length > 0 ? tenant : Consumer)}?handler={handler}";
        return browser.PostAsync(path, new FormUrlEncodedContent([.. ConsoleTests.AntiforgeryField(html), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));
    }

    private static List<string> Listed(string html) =>
        Regex.Matches(html, "<tr data-tenant=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
}
