using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting;

/// <summary>
/// Issue 13 item 12, as the attack: a hostile site frames the platform's pages (clickjacking sign-in or consent), gets an
/// injected script to run in them, sniffs a JSON answer as HTML, or reads the API from a visitor's browser. Every HTML
/// page answers with a policy that forbids all of it; the API answers other origins only when the operator names them.
/// </summary>
public sealed partial class SecurityHeadersTests
{
    [GeneratedRegex(@"<(script|style)(?![^>]*\ssrc=)[^>]*>(.*?)</\1>", RegexOptions.Singleline)]
    private static partial Regex InlineBlock();

    [Fact]
    public async Task Every_HTML_page_forbids_framing_foreign_scripts_and_sniffing_and_runs_only_its_own_inline_blocks()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        var browser = host.Anonymous();
        var pages = new Dictionary<string, HttpRequestMessage>
        {
            ["sign-in"] = new(HttpMethod.Get, "/account/signin?returnUrl=%2F&error=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
            ["/docs"] = new(HttpMethod.Get, "/docs/index.html"),
            ["GraphQL explorer"] = new(HttpMethod.Get, "/graphql"),
        };
        pages["GraphQL explorer"].Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        foreach (var (name, request) in pages)
        {
            var response = await browser.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = PageHeadersAssert.Secure(response, name);
            var html = await response.Content.ReadAsStringAsync();
            // Inline blocks run because the policy names their hashes; anything injected has another hash.
            foreach (Match block in InlineBlock().Matches(html))
            {
                var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(block.Groups[2].Value)));
                Assert.Contains($"'sha256-{hash}'", csp, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("'unsafe-inline'", name == "/docs" ? csp.Replace("style-src 'self' 'unsafe-inline'", "", StringComparison.Ordinal) : csp, StringComparison.Ordinal);
        }
        // The sign-in page's error is text, never markup.
        var signIn = await browser.GetStringAsync("/account/signin?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        Assert.DoesNotContain("<script>alert(1)", signIn, StringComparison.Ordinal);

        // JSON and problem answers are never sniffed as HTML.
        foreach (var url in new[] { "/v1/datasets", "/v1/nowhere", "/openapi/v1.json" })
        {
            Assert.Equal("nosniff", Assert.Single((await browser.GetAsync(url)).Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_API_answers_no_foreign_origin_by_default(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var evil = host.Anonymous();
        evil.DefaultRequestHeaders.Add("Origin", "https://evil.example");
        var read = await evil.GetAsync("/v1/datasets/ningbo-villages/records?limit=1");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.False(read.Headers.Contains("Access-Control-Allow-Origin"));
        var preflight = await PreflightAsync(evil, "/v1/datasets", "https://evil.example");
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_configured_origin_may_call_the_API_and_no_other_and_never_the_sign_in_or_token_routes(string db)
    {
        const string Portal = "https://apps.example.gov.cn";
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Cors:AllowedOrigins:0"] = Portal });
        var client = host.Anonymous();

        var allowed = await PreflightAsync(client, "/v1/datasets/ningbo-villages/records", Portal);
        Assert.True(allowed.IsSuccessStatusCode, $"{allowed.StatusCode}");
        Assert.Equal(Portal, Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(allowed.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.Contains("authorization", string.Join(',', allowed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);

        using var simple = new HttpRequestMessage(HttpMethod.Get, "/v1/datasets/ningbo-villages/records?limit=1");
        simple.Headers.Add("Origin", Portal);
        var read = await client.SendAsync(simple);
        Assert.Equal(Portal, Assert.Single(read.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("Link", string.Join(',', read.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.Ordinal);
        Assert.Equal(Portal, Assert.Single((await PreflightAsync(client, "/graphql", Portal, "POST")).Headers.GetValues("Access-Control-Allow-Origin")));

        // Another origin learns nothing; sign-in, consent and the token endpoint answer no origin at all.
        Assert.False((await PreflightAsync(client, "/v1/datasets", "https://evil.example")).Headers.Contains("Access-Control-Allow-Origin"));
        foreach (var route in new[] { "/connect/token", "/account/signin", "/connect/authorize" })
        {
            Assert.False((await PreflightAsync(client, route, Portal, "POST")).Headers.Contains("Access-Control-Allow-Origin"), route);
        }
    }

    [Fact]
    public async Task An_origin_that_is_not_an_origin_stops_the_host()
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var host = await PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["OpenData:Cors:AllowedOrigins:0"] = "https://apps.example.gov.cn/path" });
        });
        Assert.Contains("is not an origin", error?.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient client, string url, string origin, string method = "GET")
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, url);
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", method);
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
        return await client.SendAsync(preflight);
    }
}
