using System.Net;
using System.Text.RegularExpressions;
using OpenData.Portal;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The portal's pages on the real host: what they answer, under which policy, in which language; and that the dataset page's
/// preview shows what the read path lets the caller see, never a clear personal value to someone without a grant.
/// </summary>
public sealed partial class PortalPagesTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task The_pages_answer_in_Chinese_under_the_portals_policy(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        foreach (var (path, text) in new[]
        {
            ("/", "开放数据平台"), ("/datasets", "数据目录"), ("/datasets?q=村&theme=administrative-divisions&sort=title&page=1", "宁波市村级行政区划"),
            ("/datasets/ningbo-villages", "宁波市村级行政区划（社区、行政村）"), ("/datasets/hotline-12345-requests", "受限数据"),
        })
        {
            var response = await browser.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(PortalPage.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
            Assert.Contains(text, html, StringComparison.Ordinal);
            // Nothing inline for the policy to block, and nothing from another origin.
            Assert.DoesNotMatch(InlineScriptOrStyle(), html);
            Assert.DoesNotMatch(ForeignResource(), html);
        }
    }

    [Fact]
    public async Task The_home_page_counts_the_catalogue_and_an_unknown_dataset_is_a_404_page()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var browser = OAuthFlows.Browser(host);
        var datasets = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets?limit=100"));
        var count = datasets["items"]!.AsArray().Count;
        var rows = datasets["items"]!.AsArray().Sum(d => d!["rowCount"]!.GetValue<long>());
        var home = await browser.GetStringAsync("/");
        Assert.Contains($"data-figure=\"datasets\">{count:N0}<", home, StringComparison.Ordinal);
        Assert.Contains($"data-figure=\"rows\">{rows:N0}<", home, StringComparison.Ordinal);

        var missing = await browser.GetAsync("/datasets/no-such-dataset");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("text/html", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("未找到数据集", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_language_switch_sets_a_cookie_and_the_pages_follow_it()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var browser = OAuthFlows.Browser(host);
        var fields = LanguageForm(await browser.GetStringAsync("/datasets?q=ningbo"));
        Assert.Equal("en", fields["culture"]);
        Assert.Equal("/datasets?q=ningbo", fields["returnUrl"]);

        var switched = await browser.PostAsync("/language", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/datasets?q=ningbo", switched.Headers.Location!.OriginalString);
        var cookie = switched.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(PortalCulture.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("c%3Den%7Cuic%3Den", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var english = await browser.GetStringAsync("/datasets?q=ningbo");
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains(">Data catalogue<", english, StringComparison.Ordinal);
        Assert.Contains("Ningbo Civil Affairs Bureau", english, StringComparison.Ordinal);
        // The catalogue's titles follow in English where the catalogue has them.
        Assert.Contains("Villages and communities of Ningbo", english, StringComparison.Ordinal);

        var back = LanguageForm(english);
        Assert.Equal("zh-CN", back["culture"]);
        back["returnUrl"] = "//evil.test/";
        var home = await browser.PostAsync("/language", new FormUrlEncodedContent(back));
        Assert.Equal("/", home.Headers.Location!.OriginalString);
        Assert.Contains("<html lang=\"zh-CN\">", await browser.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_language_switch_refuses_a_post_without_the_pages_token_or_with_an_unknown_language_and_other_pages_take_no_post()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var browser = OAuthFlows.Browser(host);
        var forged = await browser.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "en" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith(PortalCulture.CookieName, StringComparison.Ordinal)));

        var fields = LanguageForm(await browser.GetStringAsync("/"));
        fields["culture"] = "fr";
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/language", new FormUrlEncodedContent(fields))).StatusCode);

        // The other pages are read only: a form posted to them, even with a valid token, is not taken.
        fields["culture"] = "en";
        foreach (var path in new[] { "/", "/datasets", "/datasets/ningbo-villages" })
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await browser.PostAsync(path, new FormUrlEncodedContent(fields))).StatusCode);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_restricted_datasets_page_shows_an_anonymous_caller_no_row_and_no_personal_value(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        // What the owner reads in clear: none of it may reach a caller without a grant.
        var owner = host.As("ningbo-12345-hotline", "catalogue:read", "records:read");
        var clear = await ClearValuesAsync(owner, "hotline-12345-requests", "callerName", "callerMobile", "callerIdCard", "address");
        Assert.True(clear.Count > 1000, $"the owner read only {clear.Count} personal values");

        var page = await browser.GetAsync("/datasets/hotline-12345-requests");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-code=\"auth.token_required\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<tbody>\n                    <tr>\n                            <td>NB", html, StringComparison.Ordinal);
        var fragment = await browser.GetStringAsync("/datasets/hotline-12345-requests?handler=Preview");
        foreach (var text in new[] { html, fragment })
        {
            Assert.DoesNotContain("NB2026", text, StringComparison.Ordinal);
            var leaked = clear.Where(v => text.Contains(v, StringComparison.Ordinal)).Take(5).ToList();
            Assert.True(leaked.Count == 0, "personal values on the page: " + string.Join(", ", leaked));
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_open_datasets_preview_masks_personal_columns_as_the_api_does(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        var owner = host.As("ningbo-market-supervision", "catalogue:read", "records:read");
        var clear = await ClearValuesAsync(owner, "ningbo-food-business-licences", "legalRepresentative", "contactPhone");
        Assert.NotEmpty(clear);

        var html = await browser.GetStringAsync("/datasets/ningbo-food-business-licences");
        Assert.Contains("data-visibility=\"masked\"", html, StringComparison.Ordinal);
        // The first rows as the API shows them to anyone are on the page, cell for cell.
        var api = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/ningbo-food-business-licences/records?limit=3"));
        foreach (var row in api["items"]!.AsArray())
        {
            Assert.Contains($"<td>{row!["contactPhone"]!.GetValue<string>()}</td>", html, StringComparison.Ordinal);
        }
        var leaked = clear.Where(v => html.Contains(v, StringComparison.Ordinal)).Take(5).ToList();
        Assert.True(leaked.Count == 0, "clear personal values on the page: " + string.Join(", ", leaked));
    }

    [Fact]
    public async Task The_preview_pages_by_cursor_and_is_metered_like_the_records_api()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var browser = OAuthFlows.Browser(host);
        var first = await browser.GetAsync("/datasets/ningbo-villages");
        var html = await first.Content.ReadAsStringAsync();
        Assert.True(first.Headers.Contains("RateLimit-Policy"), "the dataset page is not admitted by the quotas");
        Assert.Contains("显示第 1–50 条，共 3,042 条", html, StringComparison.Ordinal);
        var next = WebUtility.HtmlDecode(NextPreview().Match(html).Groups[1].Value);
        Assert.StartsWith("/datasets/ningbo-villages?handler=Preview&cursor=", next, StringComparison.Ordinal);

        var fragment = await browser.GetAsync(next);
        var second = await fragment.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
        Assert.DoesNotContain("<html", second, StringComparison.Ordinal);
        Assert.Contains("显示第 51–100 条，共 3,042 条", second, StringComparison.Ordinal);
        // The same rows as the API's second page.
        var api = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/ningbo-villages/records?limit=50"));
        var page2 = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/ningbo-villages/records?limit=50&cursor=" + Uri.EscapeDataString(api["next"]!.GetValue<string>())));
        Assert.Contains($"<td>{page2["items"]![0]!["code"]!.GetValue<string>()}</td>", second, StringComparison.Ordinal);
        Assert.DoesNotContain($"<td>{api["items"]![0]!["code"]!.GetValue<string>()}</td>", second, StringComparison.Ordinal);

        var forged = await browser.GetStringAsync("/datasets/ningbo-villages?cursor=not-a-cursor&from=50");
        Assert.Contains("data-code=\"query.invalid_cursor\"", forged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Searching_with_htmx_answers_the_results_alone()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var browser = OAuthFlows.Browser(host);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/datasets?q=" + Uri.EscapeDataString("空气"));
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("HX-Target", "catalogue-results");
        var response = await browser.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        Assert.Contains("共找到 1 个数据集", html, StringComparison.Ordinal);
        Assert.Contains("/datasets/ningbo-air-quality-daily", html, StringComparison.Ordinal);
        Assert.Contains("HX-Request", response.Headers.Vary);
    }

    [Fact]
    public async Task The_portals_static_files_are_served_to_anyone_from_the_build()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        var files = host.StaticFiles.Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().ToList();
        Assert.Contains(files, f => Regex.IsMatch(f, @"^/_content/OpenData\.Portal/lib/htmx/htmx\.min\.[a-z0-9]+\.js$"));
        Assert.Contains(files, f => Regex.IsMatch(f, @"^/_content/OpenData\.Portal/lib/bootstrap/css/bootstrap\.min\.[a-z0-9]+\.css$"));
        using var anonymous = OAuthFlows.Browser(host);
        foreach (var file in files)
        {
            Assert.StartsWith("/_content/OpenData.Portal/", file, StringComparison.Ordinal);
            var response = await anonymous.GetAsync(file);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {(int)response.StatusCode}");
        }
        // The page links the fingerprinted names (a new build is a new name), served with their content's ETag.
        var home = await anonymous.GetStringAsync("/");
        var script = Regex.Match(home, "src=\"(/_content/OpenData.Portal/lib/htmx/htmx.min.[a-z0-9]+.js)\"").Groups[1].Value;
        var served = await anonymous.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.NotNull(served.Headers.ETag);
    }

    /// <summary>The fields of a page's language switch, with its antiforgery token.</summary>
    internal static Dictionary<string, string> LanguageForm(string page)
    {
        var form = page[page.IndexOf("data-language-switch", StringComparison.Ordinal)..];
        form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
        return FormField().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
    }

    /// <summary>Every distinct non-empty value of some columns, as the dataset's owner reads them (in clear).</summary>
    internal static async Task<HashSet<string>> ClearValuesAsync(HttpClient owner, string dataset, params string[] columns)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await PlatformHost.ReadJsonAsync(await owner.GetAsync(
                $"/v1/datasets/{dataset}/records?limit=1000&select={string.Join(",", columns)}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))));
            foreach (var row in page["items"]!.AsArray())
            {
                foreach (var column in columns)
                {
                    if (row![column]?.GetValue<string>() is { Length: > 3 } value)
                    {
                        values.Add(value);
                    }
                }
            }
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        return values;
    }

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle=""|\son[a-z]+=""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScriptOrStyle();

    [GeneratedRegex(@"(src|href)=""(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ForeignResource();

    [GeneratedRegex(@"<input[^>]*\sname=""([^""]+)""[^>]*\svalue=""([^""]*)""")]
    private static partial Regex FormField();

    [GeneratedRegex(@"hx-get=""([^""]*handler=Preview[^""]*)""")]
    private static partial Regex NextPreview();
}
