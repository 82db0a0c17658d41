using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OpenData.Portal;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.QuotaScenarios;

namespace OpenData.Tests.Portal;

/// <summary>
/// The dataset page under the quotas, on the real host with small known plans: a signed-in person's views count under their
/// tenant's plan and usage (not the visitor's address); a refused view is a page in the page's language with the 429's
/// headers, and a fragment for htmx's preview paging; the sign-in cookie still never makes an API route's caller.
/// </summary>
public sealed partial class PageQuotaTests
{
    private const string Villages = "ningbo-villages";

    [DatabaseTheory, OnEachDatabase]
    public async Task A_signed_in_persons_dataset_page_counts_under_their_tenant_and_not_their_address(string db)
    {
        await using var host = await StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        await ConsoleTests.SignUpAsync(browser, "辛数据公司", "王五", "wang.wu@example.test");
        var tenant = Regex.Match(await browser.GetStringAsync("/console"), "data-tenant=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(tenant);
        // The free plan's 250 rows a day would stop the preview after five views.
        await PlatformHost.ReadJsonAsync(await Operator(host).PatchAsJsonAsync($"/v1/tenants/{tenant}", new { limits = new { dailyRows = 100_000 } }));

        // More views than the anonymous plan's 6 a day: the person's tenant (free: 1,000 a day) admits them all.
        for (var i = 0; i < 8; i++)
        {
            var page = await browser.GetAsync($"/datasets/{Villages}");
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"view {i + 1}: {(int)page.StatusCode}");
            Assert.Equal("1000", Fields(page, "RateLimit-Policy")["daily"]["q"]);
        }

        var usage = await PlatformHost.ReadJsonAsync(await host.As(tenant, "catalogue:read").GetAsync("/v1/usage"));
        Assert.Equal(8, usage["totals"]!["requests"]!.GetValue<long>());
        // The preview's rows (50 a view) under the dataset they came from; no app: the person's own page views.
        var villages = usage["items"]!.AsArray().Single(i => i!["dataset"]!.GetValue<string>() == Villages)!;
        Assert.Equal(8 * 50, villages["rows"]!.GetValue<long>());
        Assert.Equal("", villages["app"]!.GetValue<string>());
        // Nothing of it under the visitors counted by address.
        var anonymous = await PlatformHost.ReadJsonAsync(await Operator(host).GetAsync("/v1/usage?tenant=anonymous"));
        Assert.Equal(0, anonymous["totals"]!["requests"]!.GetValue<long>());

        // The request log names the page's route, and the usage page shows the views.
        var log = await PlatformHost.ReadJsonAsync(await host.As(tenant, "catalogue:read").GetAsync("/v1/usage/requests"));
        Assert.All(log["items"]!.AsArray(), e => Assert.Equal("/datasets/{id}", e!["route"]!.GetValue<string>()));
        Assert.Equal(8, log["items"]!.AsArray().Count);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task When_the_tenants_rows_are_spent_the_preview_says_so_with_the_wait(string db)
    {
        await using var host = await StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        await ConsoleTests.SignUpAsync(browser, "癸数据公司", "钱七", "qian.qi@example.test");
        // The free plan's 250 rows a day (the anonymous plan's are 100,000): five previews of 50.
        string? next = null;
        for (var i = 0; i < 5; i++)
        {
            var page = await browser.GetAsync($"/datasets/{Villages}");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            next ??= WebUtility.HtmlDecode(NextPreview().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);
        }
        Assert.StartsWith($"/datasets/{Villages}?handler=Preview&cursor=", next, StringComparison.Ordinal);
        var spent = await browser.GetAsync($"/datasets/{Villages}");
        var html = await spent.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, spent.StatusCode);
        Assert.True(spent.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 86400 }, spent.Headers.RetryAfter?.ToString());
        // The page is there (admission admitted it); its preview says why it has no rows.
        Assert.Contains("宁波市村级行政区划（社区、行政村）", html, StringComparison.Ordinal);
        Assert.Contains("今日数据读取额度已用完", html, StringComparison.Ordinal);

        // The next page by htmx: the fragment, a 429 too (portal.js swaps it in), so usage counts it as throttled.
        using var paging = new HttpRequestMessage(HttpMethod.Get, next);
        paging.Headers.Add("HX-Request", "true");
        var fragment = await browser.SendAsync(paging);
        var fragmentHtml = await fragment.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, fragment.StatusCode);
        Assert.NotNull(fragment.Headers.RetryAfter);
        Assert.DoesNotContain("<html", fragmentHtml, StringComparison.Ordinal);
        Assert.Contains("data-code=\"quota.daily_exceeded\"", fragmentHtml, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_sign_in_cookie_does_not_make_an_api_routes_caller(string db)
    {
        await using var host = await StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        await ConsoleTests.SignUpAsync(browser, "壬数据公司", "赵六", "zhao.liu@example.test");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/console")).StatusCode);

        // A protected route: the cookie is no token.
        await ProblemAssert.IsProblemAsync(await browser.GetAsync("/v1/usage"), HttpStatusCode.Unauthorized, "auth.token_required");
        await ProblemAssert.IsProblemAsync(await browser.GetAsync("/v1/usage/requests"), HttpStatusCode.Unauthorized, "auth.token_required");
        // The quota anyone may read: the address's, not the person's tenant's.
        var quota = await PlatformHost.ReadJsonAsync(await browser.GetAsync("/v1/quota"));
        Assert.Equal("anonymous", quota["plan"]!.GetValue<string>());
        // A metered open route: counted by address, under the anonymous plan, whatever the cookie.
        var listing = await browser.GetAsync("/v1/datasets");
        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.Equal("6", Fields(listing, "RateLimit-Policy")["daily"]["q"]);
        // An API refusal stays problem+json, cookie or not.
        for (var i = 0; i < 5; i++)
        {
            await browser.GetAsync("/v1/datasets");
        }
        await ProblemAssert.IsProblemAsync(await browser.GetAsync("/v1/datasets"), HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Past_the_anonymous_days_views_the_dataset_page_is_a_429_page_in_the_pages_language(string db)
    {
        await using var host = await StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/datasets/{Villages}")).StatusCode);
        }

        var refused = await browser.GetAsync($"/datasets/{Villages}");
        var html = await refused.Content.ReadAsStringAsync();
        AssertRefusedPage(refused, html);
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("访问过于频繁", html, StringComparison.Ordinal);
        Assert.Contains("未登录的访问者每个地址每天可请求 6 次", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/account/signin?returnUrl=%2Fdatasets%2F{Villages}\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/guide/quotas\"", html, StringComparison.Ordinal);

        // htmx's preview paging: the message alone, still a 429 with its headers (portal.js swaps it in).
        using var paging = new HttpRequestMessage(HttpMethod.Get, $"/datasets/{Villages}?handler=Preview&cursor=x&from=50");
        paging.Headers.Add("HX-Request", "true");
        var fragment = await browser.SendAsync(paging);
        var fragmentHtml = await fragment.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, fragment.StatusCode);
        Assert.NotNull(fragment.Headers.RetryAfter);
        Assert.DoesNotContain("<html", fragmentHtml, StringComparison.Ordinal);
        Assert.Contains("data-code=\"quota.daily_exceeded\"", fragmentHtml, StringComparison.Ordinal);
        Assert.Contains("今日额度已用完", fragmentHtml, StringComparison.Ordinal);

        // In English after the language switch (the refused page carries the switch like any page).
        var switched = await browser.PostAsync("/language", new FormUrlEncodedContent(ConsoleTests.FormFields(html, "data-language-switch")));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        var english = await browser.GetAsync($"/datasets/{Villages}");
        var englishHtml = await english.Content.ReadAsStringAsync();
        AssertRefusedPage(english, englishHtml);
        Assert.Contains("<html lang=\"en\">", englishHtml, StringComparison.Ordinal);
        Assert.Contains("Too many requests", englishHtml, StringComparison.Ordinal);
        Assert.Contains("may make 6 requests a day from one address", englishHtml, StringComparison.Ordinal);

        // Refused views count as throttled under the address, not as admitted requests.
        var usage = await PlatformHost.ReadJsonAsync(await Operator(host).GetAsync("/v1/usage?tenant=anonymous"));
        Assert.Equal(9, usage["totals"]!["requests"]!.GetValue<long>());
        Assert.Equal(3, usage["totals"]!["throttled"]!.GetValue<long>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Over_the_burst_the_dataset_page_says_when_to_try_again(string db)
    {
        var plans = Plans.Replace("anonymous: {ratePerSecond: 1000, burst: 1000, dailyRequests: 6,", "anonymous: {ratePerSecond: 1, burst: 1, dailyRequests: 1000,", StringComparison.Ordinal);
        Assert.NotEqual(Plans, plans);
        await using var host = await StartAsync(db, plans);
        using var browser = OAuthFlows.Browser(host);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => browser.GetAsync($"/datasets/{Villages}")));
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var html = await refused.Content.ReadAsStringAsync();
        AssertRefusedPage(refused, html);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter!.Delta);
        Assert.Contains("data-policy=\"burst\"", html, StringComparison.Ordinal);
        Assert.Contains("最多同时 1 个请求、每秒 1 个。请在 1 秒后重试。", html, StringComparison.Ordinal);
    }

    /// <summary>A refused dataset page: 429 HTML with Retry-After and the RateLimit headers, the portal's policy, and no row.</summary>
    private static void AssertRefusedPage(HttpResponseMessage response, string html)
    {
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 86400 }, response.Headers.RetryAfter?.ToString());
        Assert.True(response.Headers.Contains("RateLimit-Policy"));
        Assert.True(response.Headers.Contains("RateLimit"));
        Assert.Equal(PortalPage.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("class=\"alert alert-warning quota-refused\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("preview-grid", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>", html, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"hx-get=""([^""]*handler=Preview[^""]*)""")]
    private static partial Regex NextPreview();
}
