using System.Net;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The try-it console runs a query as one of the tenant's apps through the records route itself: the same answer, status and
/// RateLimit headers as the API gives the app's token, usage counted under the app, the quota moving; and it is no way around
/// the rules — another tenant's app, a disabled app, restricted rows without a grant and a missing antiforgery token are refused.
/// </summary>
public sealed partial class ConsoleTests
{
    private const string VillagesWhere = "areaCode = '330212'";

    [DatabaseTheory, OnEachDatabase]
    public async Task The_try_it_console_answers_as_the_app_would_over_http_and_the_quota_moves(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        await SignUpAsync(browser, "试用公司", "赵六", "zhao@example.test");
        var (appId, clientId, secret) = await CreateAppAsync(browser, "调试应用");

        var page = await browser.GetStringAsync("/console/try?dataset=ningbo-villages&where=" + Uri.EscapeDataString(VillagesWhere));
        Assert.Contains("data-try-form", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{appId}\" selected", page, StringComparison.Ordinal);
        Assert.Contains("value=\"ningbo-villages\" selected", page, StringComparison.Ordinal);

        var first = await RunAsync(browser, page, appId, "ningbo-villages", "code,name,areaCode", VillagesWhere, "code desc", "5");
        var html = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("data-try-status=\"200\"", html, StringComparison.Ordinal);
        Assert.Contains("data-header=\"RateLimit-Policy\"", html, StringComparison.Ordinal);
        Assert.Contains("data-header=\"X-Dataset-Version\"", html, StringComparison.Ordinal);
        var requestsLeft = long.Parse(Regex.Match(html, "data-requests-left=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var rowsLeft = long.Parse(Regex.Match(html, "data-rows-left=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // The answer is the API's own: the same rows the app's token reads over HTTP.
        var token = await OAuthFlows.ClientTokenAsync(host, clientId, secret);
        var api = await PlatformHost.ReadJsonAsync(await OAuthFlows.Bearer(host, token).GetAsync(
            "/v1/datasets/ningbo-villages/records?select=code,name,areaCode&order_by=code%20desc&limit=5&where=" + Uri.EscapeDataString(VillagesWhere)));
        var items = api["items"]!.AsArray();
        Assert.Equal(5, items.Count);
        foreach (var item in items)
        {
            Assert.Contains($"&quot;code&quot;: &quot;{item!["code"]!.GetValue<string>()}&quot;", html, StringComparison.Ordinal);
        }
        // The curl line is the same request, with a placeholder for the token and never the secret.
        Assert.Contains("data-try-curl", html, StringComparison.Ordinal);
        Assert.Contains("--data-urlencode &quot;where=areaCode = &#x27;330212&#x27;&quot;", html, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);

        // The quota moves: one request (the API call above) and the rows of both reads later, the next run has less left.
        var second = await (await RunAsync(browser, page, appId, "ningbo-villages", null, VillagesWhere, null, "5", htmx: true)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", second, StringComparison.Ordinal);
        Assert.Contains("data-try-status=\"200\"", second, StringComparison.Ordinal);
        Assert.Equal(requestsLeft - 2, long.Parse(Regex.Match(second, "data-requests-left=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(rowsLeft - 10, long.Parse(Regex.Match(second, "data-rows-left=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

        // The runs count as the app's requests in the tenant's usage.
        var usage = await PlatformHost.ReadJsonAsync(await OAuthFlows.Bearer(host, token).GetAsync("/v1/usage"));
        var byApp = usage["items"]!.AsArray().Where(r => r!["app"]!.GetValue<string>() == clientId && r["dataset"]!.GetValue<string>() == "ningbo-villages").ToList();
        Assert.Equal(3, byApp.Sum(r => r!["requests"]!.GetValue<long>()));
        Assert.Equal(15, byApp.Sum(r => r!["rows"]!.GetValue<long>()));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_try_it_console_is_no_way_around_grants_tenants_disabled_apps_or_antiforgery(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var other = OAuthFlows.Browser(host);
        await SignUpAsync(other, "别家公司", "钱七", "qian@example.test");
        var (foreignApp, _, _) = await CreateAppAsync(other, "别家的应用");

        using var browser = OAuthFlows.Browser(host);
        await SignUpAsync(browser, "试用公司", "赵六", "zhao@example.test");
        var (appId, _, _) = await CreateAppAsync(browser, "调试应用");
        var page = await browser.GetStringAsync("/console/try");

        // Restricted rows without a grant: the API's own 403 and problem, shown as the answer.
        var restricted = await (await RunAsync(browser, page, appId, "hotline-12345-requests", null, null, null, "5")).Content.ReadAsStringAsync();
        Assert.Contains("data-try-status=\"403\"", restricted, StringComparison.Ordinal);
        Assert.Contains("access.grant_required", restricted, StringComparison.Ordinal);

        // A bad filter: the API's 400 with the position of the mistake.
        var bad = await (await RunAsync(browser, page, appId, "ningbo-villages", null, "areaCode = ", null, "5")).Content.ReadAsStringAsync();
        Assert.Contains("data-try-status=\"400\"", bad, StringComparison.Ordinal);
        Assert.Contains("query.syntax", bad, StringComparison.Ordinal);

        // Another tenant's app is not one of ours: refused on the field, nothing run.
        var foreign = await RunAsync(browser, page, foreignApp, "ningbo-villages", null, null, null, "5");
        var foreignHtml = await foreign.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("data-field-error=\"app\"", foreignHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("data-try-status", foreignHtml, StringComparison.Ordinal);

        // A limit out of range and a missing dataset are the form's messages.
        var outOfRange = await (await RunAsync(browser, page, appId, "", null, null, null, "1000")).Content.ReadAsStringAsync();
        Assert.Contains("data-field-error=\"limit\"", outOfRange, StringComparison.Ordinal);
        Assert.Contains("data-field-error=\"dataset\"", outOfRange, StringComparison.Ordinal);

        // A disabled app is no longer offered nor run.
        var console = await browser.GetStringAsync("/console");
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/console?handler=Disable", new FormUrlEncodedContent([.. AntiforgeryField(console), new("appId", appId)]))).StatusCode);
        var disabled = await RunAsync(browser, page, appId, "ningbo-villages", null, null, null, "5");
        Assert.Equal(HttpStatusCode.BadRequest, disabled.StatusCode);
        Assert.DoesNotContain("data-try-status", await disabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("data-no-app", await browser.GetStringAsync("/console/try"), StringComparison.Ordinal);

        // Without the antiforgery token, nothing runs.
        var forged = await browser.PostAsync("/console/try", new FormUrlEncodedContent([new("app", appId), new("dataset", "ningbo-villages"), new("limit", "5")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // Signed out, the page sends the visitor to sign in.
        using var anonymous = OAuthFlows.Browser(host);
        var signIn = await anonymous.GetAsync("/console/try");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("/account/signin?ReturnUrl=%2Fconsole%2Ftry", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    internal static async Task<(string AppId, string ClientId, string Secret)> CreateAppAsync(HttpClient browser, string name)
    {
        var console = await browser.GetStringAsync("/console");
        var created = await browser.PostAsync("/console?handler=Create", new FormUrlEncodedContent(
            [.. AntiforgeryField(console), new("name", name), new("environment", "live"), new("scopes", "catalogue:read"), new("scopes", "records:read")]));
        var html = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.OK, html);
        var clientId = Regex.Match(html, "data-client-id>([^<]+)<").Groups[1].Value;
        var secret = Regex.Match(html, "data-client-secret>([^<]+)<").Groups[1].Value;
        var appId = Regex.Match(html, "data-secret-for=\"([^\"]+)\"").Groups[1].Value;
        return (appId, clientId, secret);
    }

    private static Task<HttpResponseMessage> RunAsync(HttpClient browser, string page, string app, string dataset, string? select, string? where, string? orderBy, string limit, bool htmx = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/console/try")
        {
            Content = new FormUrlEncodedContent(
                [.. AntiforgeryField(page), new("app", app), new("dataset", dataset), new("select", select ?? ""), new("where", where ?? ""), new("orderBy", orderBy ?? ""), new("limit", limit)]),
        };
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
            request.Headers.Add("HX-Target", "try-result");
        }
        return browser.SendAsync(request);
    }
}
