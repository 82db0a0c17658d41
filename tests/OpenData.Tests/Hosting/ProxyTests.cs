using System.Net;
using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting;

/// <summary>
/// Issue 13, item 6, as the attack: a client that writes its own X-Forwarded-For to escape the anonymous quota or
/// X-Forwarded-Proto to change links, against a host behind a listed proxy and one that lists none; and a production host
/// that would otherwise take its issuer and host names from whatever a request says.
/// </summary>
public sealed partial class ProxyTests
{
    [GeneratedRegex("\"daily\";r=(\\d+)")]
    private static partial Regex DailyLeft();

    private static async Task<(long Left, HttpResponseMessage Response)> ReadAsync(PlatformHost host, string forwardedFor, string? proto = null)
    {
        using var client = host.Anonymous();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (proto is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", proto);
        }
        var response = await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var left = long.Parse(DailyLeft().Match(string.Join(",", response.Headers.GetValues("RateLimit"))).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (left, response);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Behind_a_listed_proxy_each_real_client_has_its_own_anonymous_quota_and_https_links(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Proxy:KnownProxies"] = "127.0.0.1, ::1" });
        long a = 0;
        for (var i = 0; i < 3; i++)
        {
            a = (await ReadAsync(host, "203.0.113.10")).Left;
        }
        var (b, _) = await ReadAsync(host, "198.51.100.20");
        Assert.Equal(a + 2, b);

        var (_, secure) = await ReadAsync(host, "198.51.100.21", proto: "https");
        Assert.StartsWith("<https://", secure.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.BaseAddress };
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var page = await browser.GetAsync("/account/signin");
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("opendata_af", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Without_a_listed_proxy_forwarded_headers_written_by_the_client_change_nothing(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var (first, _) = await ReadAsync(host, "203.0.113.10");
        // A new address in X-Forwarded-For does not buy a fresh quota: the same connection address pays.
        var (second, response) = await ReadAsync(host, "198.51.100.99", proto: "https");
        Assert.Equal(first - 1, second);
        Assert.StartsWith("<http://", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "localhost", "OpenData:Auth:Issuer")]
    [InlineData("https://data.example.gov.cn/", "*", "AllowedHosts")]
    [InlineData("https://data.example.gov.cn/", null, "AllowedHosts")]
    public async Task Outside_Development_the_host_will_not_start_without_its_issuer_and_host_names(string? issuer, string? allowedHosts, string named)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?>
        {
            ["OpenData:Auth:Issuer"] = issuer,
            ["AllowedHosts"] = allowedHosts,
        }, environment: "Production"));
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_list_that_does_not_parse_stops_the_host_naming_the_entry()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?>
        {
            ["OpenData:Proxy:KnownProxies"] = "10.0.0.1, lb.internal",
        }));
        Assert.Contains("'lb.internal' is not an IP address", error.ToString(), StringComparison.Ordinal);
    }
}
