using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenData.Platform.Common;
using OpenData.Portal;
using OpenData.Portal.Guide;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The guide at <c>/guide</c> on the real host: its pages answer in both languages; getting started's commands run in bash as
/// shown; every query example runs; the errors page lists every registered code under its own anchor; the quotas page shows
/// the configured plans, and the RateLimit headers and 429 as admission really answers them.
/// </summary>
public sealed partial class GuidePagesTests
{
    private const string DemoPerson = "developer@demo.opendata.local";
    private const string DemoPassword = "demo-password-2026";

    private static readonly (string Path, string Chinese, string English)[] Pages =
    [
        ("/guide", "五分钟快速上手", "Get started in five minutes"),
        ("/guide/query", "查询语言", "The query language"),
        ("/guide/errors", "错误与错误码", "Errors and codes"),
        ("/guide/quotas", "配额与限流", "Quotas and rate limits"),
    ];

    [Fact]
    public async Task The_guide_pages_answer_in_Chinese_and_in_English_and_the_header_links_them()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var browser = OAuthFlows.Browser(host);
        foreach (var language in new[] { "zh-CN", "en" })
        {
            foreach (var (path, chinese, english) in Pages)
            {
                var response = await browser.GetAsync(path);
                var html = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
                Assert.Equal(PortalPage.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
                Assert.Contains($"<html lang=\"{language}\">", html, StringComparison.Ordinal);
                Assert.Contains($"<h1 class=\"h2\">{(language == "en" ? english : chinese)}</h1>", html, StringComparison.Ordinal);
                // The header's Docs link is the guide, marked as the current section; the footer keeps the API reference.
                Assert.Matches("<a class=\"nav-link active\" aria-current=\"page\" href=\"/guide\">" + (language == "en" ? "Docs" : "文档") + "</a>", html);
                Assert.Contains("<li class=\"list-inline-item\"><a href=\"/docs\">", html, StringComparison.Ordinal);
                // Every text came from the resources (a missing key would show its name), nothing inline, nothing from elsewhere.
                Assert.DoesNotMatch(@">[^<]*Guide\.[A-Z]", html);
                Assert.DoesNotMatch(InlineScriptOrStyle(), html);
                Assert.DoesNotMatch(ForeignResource(), html);
                Assert.Equal(Ids(html).Count, Ids(html).Distinct().Count());
            }
            if (language == "zh-CN")
            {
                var switched = await browser.PostAsync("/language", new FormUrlEncodedContent(FormFields(await browser.GetStringAsync("/guide"), "data-language-switch")));
                Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
                Assert.Equal("/guide", switched.Headers.Location!.OriginalString);
            }
        }
        // Read only, like every page but the forms'.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await browser.PostAsync("/guide", new FormUrlEncodedContent([]))).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Getting_started_names_the_persons_tenant_and_app_and_its_commands_run_in_bash_as_shown(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var visitor = OAuthFlows.Browser(host);
        var anonymous = await visitor.GetStringAsync("/guide");
        Assert.Contains($"CLIENT_ID='{GettingStarted.ClientIdPlaceholder}'", Command(anonymous, "token"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-tenant=", anonymous, StringComparison.Ordinal);

        using var browser = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, DemoPerson, DemoPassword)).StatusCode);
        var html = await browser.GetStringAsync("/guide");
        Assert.Contains("data-tenant=\"demo-consumer\"", html, StringComparison.Ordinal);
        Assert.Contains("宁波数智科技有限公司（演示）", html, StringComparison.Ordinal);
        Assert.Contains("data-app-client-id=\"demo-consumer-app\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-consumer-secret", html, StringComparison.Ordinal);
        var (token, query, graphql) = (Command(html, "token"), Command(html, "query"), Command(html, "graphql"));
        Assert.StartsWith("CLIENT_ID='demo-consumer-app'\n", token, StringComparison.Ordinal);
        Assert.Contains(host.BaseAddress.GetLeftPart(UriPartial.Authority) + "/connect/token", token, StringComparison.Ordinal);

        // One bash session, the secret typed at read's prompt; an echo between the commands keeps their answers apart.
        var start = new ProcessStartInfo("bash", ["-c", $"set -eu -o pipefail\n{token}echo\n{query}echo\n{graphql}"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync("demo-consumer-secret");
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}\n{output}");
        var answers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal(3, answers.Count);
        Assert.Equal("demo-consumer", answers[0]["tenant"]!.GetValue<string>());
        Assert.Equal("demo-consumer-app", answers[0]["app"]!.GetValue<string>());
        var rows = answers[1]["items"]!.AsArray();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(["code", "name"], row!.AsObject().Select(p => p.Key));
            Assert.StartsWith("330212", row["code"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.EndsWith("村委会", row["name"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.Null(answers[2]["errors"]);
        Assert.Equal(rows.ToJsonString(), answers[2]["data"]!["dataset"]!["records"]!["items"]!.ToJsonString());

        // The "open in the browser" link is the same query, without a token.
        var link = WebUtility.HtmlDecode(Regex.Match(html, "<a href=\"([^\"]+)\" data-first-query>").Groups[1].Value);
        var open = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync(link));
        Assert.Equal(rows.ToJsonString(), open["items"]!.ToJsonString());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Every_query_example_on_the_page_runs_and_finds_rows(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        var html = await browser.GetStringAsync("/guide/query");
        var links = Regex.Matches(html, "<a href=\"([^\"]+)\" data-run>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(QueryExamples.All.Select(e => e.PathAndQuery), links);
        Assert.True(QueryExamples.All.Count >= 8, "the page lost its examples");
        var anonymous = host.Anonymous();
        var consumer = host.As("guide-reader", "catalogue:read", "records:read");
        foreach (var example in QueryExamples.All)
        {
            Assert.Contains("\nwhere=" + example.Query.Single(p => p.Name == "where").Value + "\n", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
            foreach (var client in new[] { anonymous, consumer })
            {
                var response = await client.GetAsync(example.PathAndQuery);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{example.Key}: {(int)response.StatusCode} {body}");
                Assert.NotEmpty(JsonNode.Parse(body)!["items"]!.AsArray());
            }
        }
        // The same texts in GraphQL, as the page says.
        var first = QueryExamples.All[0];
        var graph = await GraphQLCalls.PostAsync(anonymous, "query ($id: ID!, $where: String) { dataset(id: $id) { records(where: $where, first: 5) { items } } }",
            new { id = first.Dataset, where = first.Query.Single(p => p.Name == "where").Value });
        graph.Ok();
        Assert.Equal(5, graph.Data!["dataset"]!["records"]!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_errors_page_lists_every_registered_code_by_module_under_its_own_anchor_and_its_example_is_real()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var browser = OAuthFlows.Browser(host);
        var html = await browser.GetStringAsync("/guide/errors");
        Assert.True(ErrorCodes.All.Count > 50, $"only {ErrorCodes.All.Count} codes registered?");
        var rows = Regex.Matches(html, "<tr id=\"([^\"]+)\" data-code=\"([^\"]+)\">(.*?)</tr>", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[3].Value, StringComparer.Ordinal);
        Assert.Equal(ErrorCodes.All.Keys.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (code, declared) in ErrorCodes.All)
        {
            // A valid HTML id (no space; also a valid HTML 4 name token, so old tools link to it too) and a link to itself.
            Assert.Matches("^[A-Za-z][A-Za-z0-9_.:-]*$", code);
            Assert.Contains($"<a href=\"#{code}\"><code>{code}</code></a>", rows[code], StringComparison.Ordinal);
            Assert.Contains($"<td data-status>{declared.Status}</td>", rows[code], StringComparison.Ordinal);
            // The meaning is the registry's, in English, said to be English on the Chinese page.
            Assert.Contains("<td lang=\"en\">", rows[code], StringComparison.Ordinal);
            var meaning = Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(Regex.Match(rows[code], "<td lang=\"en\">(.*)</td>", RegexOptions.Singleline).Groups[1].Value, "<[^>]+>", "")), @"\s+", " ").Trim();
            Assert.Equal(Regex.Replace(declared.Meaning.Replace("`", "", StringComparison.Ordinal), @"\s+", " "), meaning);
        }
        // Grouped by module, under translated headings, each code in its module's section.
        foreach (var module in ErrorGuide.Modules)
        {
            var section = Regex.Match(html, $"<section aria-labelledby=\"{module.Anchor}\"[^>]*data-module=\"{module.Name}\">(.*?)</section>", RegexOptions.Singleline);
            Assert.True(section.Success, $"no section for {module.Name}");
            Assert.All(module.Codes, c => Assert.Contains($"id=\"{c.Code}\"", section.Groups[1].Value, StringComparison.Ordinal));
        }
        Assert.Contains(">数据行与查询 <small", html, StringComparison.Ordinal);
        Assert.Contains(">配额与限流 <small", html, StringComparison.Ordinal);
        Assert.Equal("Records", ErrorGuide.ModuleOf(ErrorCodes.Get("query.syntax")));

        // The example is what the platform answers to that request, but for its traceId.
        var shown = JsonNode.Parse(ExampleJson(WebUtility.HtmlDecode(Regex.Match(html, "<code data-example-problem>(.*?)</code>", RegexOptions.Singleline).Groups[1].Value)))!.AsObject();
        var response = await host.Anonymous().GetAsync(ErrorGuide.ExampleRequest);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\nContent-Type: " + response.Content.Headers.ContentType!.MediaType + "\n", ErrorGuide.ExampleProblem, StringComparison.Ordinal);
        var real = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(real.Select(p => p.Key), shown.Select(p => p.Key));
        shown.Remove("traceId");
        real.Remove("traceId");
        Assert.Equal(real.ToJsonString(), shown.ToJsonString());

        // In English the meanings are simply the page's language.
        await browser.PostAsync("/language", new FormUrlEncodedContent(FormFields(html, "data-language-switch")));
        var english = await browser.GetStringAsync("/guide/errors");
        Assert.DoesNotContain("lang=\"en\">", english[english.IndexOf("<main", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains(">Records and queries <small", english, StringComparison.Ordinal);
    }

    private const string SmallPlans = """
        plans:
          anonymous: {ratePerSecond: 1, burst: 3, dailyRequests: 1234, dailyRows: 56789, exportRows: 4321}
          free: {ratePerSecond: 10, burst: 40, dailyRequests: 20000, dailyRows: 2000000, exportRows: 200000}
          contest: {ratePerSecond: 20, burst: 60, dailyRequests: 50000, dailyRows: 5000000, exportRows: 1000000}
          partner: {ratePerSecond: 100, burst: 300, dailyRequests: 1000000, dailyRows: 100000000, exportRows: 10000000}
          operator: {ratePerSecond: unlimited, burst: unlimited, dailyRequests: unlimited, dailyRows: unlimited, exportRows: unlimited}
        """;

    [DatabaseTheory, OnEachDatabase]
    public async Task The_quotas_page_shows_the_configured_plans_and_the_headers_and_429_that_admission_answers(string db)
    {
        await using var host = await QuotaScenarios.StartAsync(db, SmallPlans);
        using var browser = OAuthFlows.Browser(host);
        var html = await browser.GetStringAsync("/guide/quotas");

        // Every plan of the configuration, every limit as configured, numbers written the Chinese way.
        var configured = Regex.Matches(SmallPlans, @"^\s+([a-z]+): \{(.*)\}$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => Regex.Matches(m.Groups[2].Value, @"(\w+): (\w+)").ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value));
        Assert.Equal(configured.Keys, Regex.Matches(html, "<tr data-plan=\"([^\"]+)\">").Select(m => m.Groups[1].Value));
        foreach (var (plan, limits) in configured)
        {
            var row = Regex.Match(html, $"<tr data-plan=\"{plan}\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
            foreach (var (name, value) in limits)
            {
                var figure = value == "unlimited" ? "不限" : long.Parse(value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.GetCultureInfo("zh-CN"));
                Assert.Contains($"data-limit=\"{name}\" data-value=\"{value}\">{figure}</td>", row, StringComparison.Ordinal);
            }
        }
        Assert.Contains("北京时间零点", html, StringComparison.Ordinal);
        Assert.Contains("UTC 16:00", html, StringComparison.Ordinal);

        // The headers shown are those of a first request today under the anonymous plan.
        var example = WebUtility.HtmlDecode(Regex.Match(html, "<code data-ratelimit-example>(.*?)</code>", RegexOptions.Singleline).Groups[1].Value).Split('\n');
        var anonymous = host.Anonymous();
        var first = await anonymous.GetAsync("/v1/datasets");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("RateLimit-Policy: " + first.Headers.GetValues("RateLimit-Policy").Single(), example[0]);
        Assert.Equal(StateWithoutReset(first.Headers.GetValues("RateLimit").Single()), StateWithoutReset(example[1]["RateLimit: ".Length..]));

        // Over the burst: the 429 shown is the 429 answered, but for its traceId and the seconds to midnight.
        HttpResponseMessage refused;
        var tries = 0;
        do
        {
            refused = await anonymous.GetAsync("/v1/datasets");
        }
        while (refused.StatusCode != HttpStatusCode.TooManyRequests && ++tries < 20);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var tooMany = WebUtility.HtmlDecode(Regex.Match(html, "<code data-too-many>(.*?)</code>", RegexOptions.Singleline).Groups[1].Value);
        Assert.Contains("Retry-After: " + refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "\n", tooMany, StringComparison.Ordinal);
        Assert.Contains("RateLimit-Policy: " + refused.Headers.GetValues("RateLimit-Policy").Single() + "\n", tooMany, StringComparison.Ordinal);
        var shown = JsonNode.Parse(ExampleJson(tooMany))!.AsObject();
        var real = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(real.Select(p => p.Key).Order(StringComparer.Ordinal), shown.Select(p => p.Key).Order(StringComparer.Ordinal));
        shown.Remove("traceId");
        real.Remove("traceId");
        Assert.True(JsonNode.DeepEquals(real, shown), $"shown {shown.ToJsonString()}\nanswered {real.ToJsonString()}");

        // A signed-in person's examples are for their tenant's plan.
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, DemoPerson, DemoPassword)).StatusCode);
        var signedIn = await browser.GetStringAsync("/guide/quotas");
        Assert.Contains("data-tenant-plan=\"free\"", signedIn, StringComparison.Ordinal);
        Assert.Contains("RateLimit-Policy: \"burst\";q=40;w=1, \"daily\";q=20000;w=86400, \"rows\";q=2000000;w=86400;qu=\"rows\"", WebUtility.HtmlDecode(signedIn), StringComparison.Ordinal);
    }

    /// <summary>The text of a page's <c>&lt;code data-command="…"&gt;</c> block, as a reader copies it.</summary>
    private static string Command(string html, string id) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"<code data-command=\"{id}\">(.*?)</code>", RegexOptions.Singleline).Groups[1].Value);

    /// <summary>The JSON body of an example answer (after the headers' blank line).</summary>
    private static string ExampleJson(string example) => example[example.IndexOf("\n\n", StringComparison.Ordinal)..];

    /// <summary>A RateLimit value without its <c>t</c> (seconds to the reset, which moves) parameters.</summary>
    private static string StateWithoutReset(string state) => Regex.Replace(state, @";t=\d+", "");

    private static List<string> Ids(string html) => Regex.Matches(html, "\\sid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

    /// <summary>The fields of the form marked with <paramref name="marker"/>, with its antiforgery token.</summary>
    private static Dictionary<string, string> FormFields(string page, string marker)
    {
        var form = page[page.IndexOf(marker, StringComparison.Ordinal)..];
        form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
        return Regex.Matches(form, @"<input[^>]*\sname=""([^""]+)""[^>]*\svalue=""([^""]*)""").ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
    }

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle=""|\son[a-z]+=""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScriptOrStyle();

    [GeneratedRegex(@"(src|href)=""(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ForeignResource();
}
