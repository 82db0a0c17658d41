using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The console's usage page and the request log behind it, on the real host: requests made with an app's token show in the
/// log by route pattern (never a value of the query string), per day and per app in the usage tables, and in today's quota;
/// another tenant's requests never show; a bad range is refused on its field; entries past 7 days are deleted.
/// </summary>
public sealed partial class UsageTests
{
    private const string Villages = "ningbo-villages";

    // Filter values that must never be kept: they travel in the query string only.
    private const string OwnProbe = "filterprobe7731";
    private const string OtherProbe = "otherprobe5519";

    [DatabaseTheory, OnEachDatabase]
    public async Task Requests_made_with_an_apps_token_show_by_route_pattern_in_the_log_usage_and_quota_and_no_other_tenants(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        await ConsoleTests.SignUpAsync(browser, "庚数据公司", "郑一", "zheng@example.test");
        var console = await browser.GetStringAsync("/console");
        var tenant = Regex.Match(console, "data-tenant=\"([^\"]+)\"").Groups[1].Value;
        var created = await (await browser.PostAsync("/console?handler=Create", new FormUrlEncodedContent(
            [.. ConsoleTests.AntiforgeryField(console), new("name", "日志应用"), new("environment", "live"), new("scopes", "catalogue:read"), new("scopes", "records:read")]))).Content.ReadAsStringAsync();
        var clientId = Regex.Match(created, "data-client-id>([^<]+)<").Groups[1].Value;
        var secret = Regex.Match(created, "data-client-secret>([^<]+)<").Groups[1].Value;
        var app = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, clientId, secret));

        // Before any request: nothing logged, nothing used today.
        var before = await browser.GetStringAsync("/console/usage");
        Assert.Contains("data-log-none", before, StringComparison.Ordinal);
        Assert.Equal("0", UsedToday(before));

        var filtered = await app.GetAsync($"/v1/datasets/{Villages}/records?limit=3&where=name%20%3D%20'{OwnProbe}'");
        Assert.Equal(HttpStatusCode.OK, filtered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"/v1/datasets/{Villages}/records?limit=2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync("/v1/datasets/no-such-dataset/records?limit=1")).StatusCode);
        // Another tenant's request, and an anonymous one, with their own filter values.
        Assert.Equal(HttpStatusCode.OK, (await host.As("usage-other", "records:read").GetAsync($"/v1/datasets/{Villages}/records?limit=1&where=name%20%3D%20'{OtherProbe}'")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous().GetAsync($"/v1/datasets/{Villages}/records?limit=1&where=name%20%3D%20'{OtherProbe}'")).StatusCode);

        // The page: three requests, by pattern, the app by name; no filter value, nothing of the other tenant.
        var page = await browser.GetStringAsync("/console/usage?group=app");
        var logged = LogRows().Matches(page).Select(m => m.Groups[2].Value).ToList();
        Assert.Equal(3, logged.Count);
        Assert.All(logged, row => Assert.Contains("GET /v1/datasets/{id}/records", row, StringComparison.Ordinal));
        Assert.All(logged, row => Assert.Contains("日志应用", row, StringComparison.Ordinal));
        Assert.Single(logged, row => row.Contains(">404<", StringComparison.Ordinal));
        Assert.Single(logged, row => Regex.IsMatch(row, "<td class=\"text-end\">2</td>"));
        Assert.DoesNotContain(OwnProbe, page, StringComparison.Ordinal);
        Assert.DoesNotContain(OtherProbe, page, StringComparison.Ordinal);
        Assert.DoesNotContain("where=", page, StringComparison.Ordinal);

        // Per app: the app's line with its requests, rows, 4xx; the quota gauge moved by the three requests.
        var line = Line(page, clientId);
        Assert.Contains("日志应用", line, StringComparison.Ordinal);
        Assert.Equal(("3", "1", "0"), (Cell(line, "requests"), Cell(line, "errors"), Cell(line, "throttled")));
        Assert.Equal(long.Parse(Cell(line, "rows"), CultureInfo.InvariantCulture), long.Parse(Regex.Match(page, "data-quota-used=\"rows\" data-used=\"(\\d+)\"").Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal("3", UsedToday(page));
        Assert.Contains("data-chart=\"usage-chart\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"usage-chart\"", page, StringComparison.Ordinal);
        Assert.Matches("src=\"/_content/OpenData.Portal/lib/echarts/echarts.min.[a-z0-9]+.js\"", page);

        // Per day: today's line; per dataset: the dataset by its title.
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var days = await browser.GetStringAsync("/console/usage");
        Assert.Equal(30, Regex.Count(days, "data-usage-line="));
        Assert.Equal(("3", "1"), (Cell(Line(days, today), "requests"), Cell(Line(days, today), "errors")));
        var datasets = await browser.GetStringAsync("/console/usage?group=dataset");
        Assert.Contains("宁波市村级行政区划", Line(datasets, Villages), StringComparison.Ordinal);
        Assert.Equal("2", Cell(Line(datasets, Villages), "requests"));

        // The API answers the same log, newest first, a page at a time, filtered by status class.
        var all = await PlatformHost.ReadJsonAsync(await app.GetAsync("/v1/usage/requests"));
        Assert.DoesNotContain(OwnProbe, all.ToJsonString(), StringComparison.Ordinal);
        var items = all["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        Assert.All(items, i => Assert.Equal("/v1/datasets/{id}/records", i!["route"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Equal(clientId, i!["app"]!.GetValue<string>()));
        Assert.Equal([404, 200, 200], items.Select(i => i!["status"]!.GetValue<int>()));
        Assert.Equal(["no-such-dataset", Villages, Villages], items.Select(i => i!["dataset"]!.GetValue<string>()));
        Assert.Null(all["next"]);
        var first = await PlatformHost.ReadJsonAsync(await app.GetAsync("/v1/usage/requests?limit=2"));
        Assert.Equal(2, first["items"]!.AsArray().Count);
        var next = first["next"]!.GetValue<string>();
        var second = await PlatformHost.ReadJsonAsync(await app.GetAsync($"/v1/usage/requests?limit=2&before={Uri.EscapeDataString(next)}"));
        Assert.Equal(items[2]!["id"]!.GetValue<long>(), Assert.Single(second["items"]!.AsArray())!["id"]!.GetValue<long>());
        Assert.Equal(404, Assert.Single((await PlatformHost.ReadJsonAsync(await app.GetAsync("/v1/usage/requests?status=4xx")))["items"]!.AsArray())!["status"]!.GetValue<int>());
        await ProblemAssert.IsProblemAsync(await app.GetAsync("/v1/usage/requests?status=abc"), HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await app.GetAsync("/v1/usage/requests?before=nonsense"), HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await app.GetAsync("/v1/usage/requests?tenant=usage-other"), HttpStatusCode.NotFound, "tenant.not_found");

        // htmx asks for the older rows only: the rows after the key, without the page around them.
        using var older = new HttpRequestMessage(HttpMethod.Get, $"/console/usage?before={Uri.EscapeDataString(next)}");
        older.Headers.Add("HX-Request", "true");
        older.Headers.Add("HX-Target", "usage-log-more");
        var fragment = await (await browser.SendAsync(older)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
        Assert.Single(LogRows().Matches(fragment));

        // At rest: the other tenant's request is its own, no anonymous request is kept, and no value of a query string is.
        Assert.Equal(3L, Convert.ToInt64(await host.QueryScalarAsync($"SELECT COUNT(*) FROM request_log WHERE tenant_id = '{tenant}'"), CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM request_log WHERE tenant_id = 'usage-other'"), CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM request_log WHERE tenant_id = 'anonymous' OR tenant_id = ''"), CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await host.QueryScalarAsync(
            "SELECT COUNT(*) FROM request_log WHERE route LIKE '%probe%' OR route LIKE '%?%' OR dataset_id LIKE '%probe%' OR app_id LIKE '%probe%'"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_usage_page_refuses_a_bad_range_on_its_field()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var browser = OAuthFlows.Browser(host);
        await ConsoleTests.SignUpAsync(browser, "辛数据公司", "冯二", "feng@example.test");
        foreach (var (query, field) in new[] { ("from=2026-13-01", "from"), ("from=2026-03-02&to=2026-03-01", "from"), ("from=2024-01-01&to=2026-01-01", "from"), ("to=yesterday", "to") })
        {
            var refused = await browser.GetAsync("/console/usage?" + query);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)refused.StatusCode}");
            Assert.Contains($"data-field-error=\"{field}\">请按 yyyy-MM-dd 填写", html, StringComparison.Ordinal);
            Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("data-usage-line", html, StringComparison.Ordinal);
        }
        var fine = await browser.GetStringAsync("/console/usage?from=2026-03-01&to=2026-03-07&group=day");
        Assert.Equal(7, Regex.Count(fine, "data-usage-line="));
        Assert.Contains("value=\"2026-03-01\"", fine, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Requests_older_than_seven_days_are_deleted_from_the_log(string db)
    {
        // Whole seconds: PostgreSQL keeps microseconds, so an instant with ticks below them would not read back equal.
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));
        await using var host = await PlatformHost.StartAsync(db, clock: clock);
        var app = host.As("usage-purge", "records:read");
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"/v1/datasets/{Villages}/records?limit=1")).StatusCode);
        var kept = await PlatformHost.ReadJsonAsync(await app.GetAsync("/v1/usage/requests"));
        Assert.Equal(clock.GetUtcNow(), DateTimeOffset.Parse(Assert.Single(kept["items"]!.AsArray())!["at"]!.GetValue<string>(), CultureInfo.InvariantCulture));

        // Six days on, the entry is still there; eight days on, the next flush deletes it.
        clock.Advance(TimeSpan.FromDays(6));
        Assert.Single((await PlatformHost.ReadJsonAsync(await app.GetAsync("/v1/usage/requests")))["items"]!.AsArray());
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync($"/v1/datasets/{Villages}/records?limit=1")).StatusCode);
        var after = await PlatformHost.ReadJsonAsync(await app.GetAsync("/v1/usage/requests"));
        Assert.Equal(clock.GetUtcNow(), DateTimeOffset.Parse(Assert.Single(after["items"]!.AsArray())!["at"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM request_log WHERE tenant_id = 'usage-purge'"), CultureInfo.InvariantCulture));
    }

    /// <summary>Requests used today, as the quota gauge says.</summary>
    private static string UsedToday(string page) => Regex.Match(page, "data-quota-used=\"requests\" data-used=\"(\\d+)\"").Groups[1].Value;

    /// <summary>The usage table's line of a day, dataset or app.</summary>
    private static string Line(string page, string key)
    {
        var match = Regex.Match(page, $"<tr data-usage-line=\"{Regex.Escape(key)}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no usage line {key}");
        return match.Groups[1].Value;
    }

    private static string Cell(string line, string name) => Regex.Match(line, $"data-value=\"(\\d+)\" data-{name}>").Groups[1].Value;

    [GeneratedRegex("<tr data-logged=\"(\\d+)\"[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex LogRows();
}
