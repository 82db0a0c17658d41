using System.Net;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

public sealed partial class PortalPagesTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task The_home_page_lists_the_most_read_datasets_and_the_rows_served_summed_over_every_caller(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var anonymous = host.Anonymous();
        // Villages read most (two callers), air quality less; the hotline's refused read serves no row and is not "read".
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/v1/datasets/ningbo-villages/records?limit=40")).StatusCode);
        var tenant = host.As("reader-co", "records:read");
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("/v1/datasets/ningbo-villages/records?limit=30")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/v1/datasets/ningbo-air-quality-daily/records?limit=7")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/v1/datasets/hotline-12345-requests/records?limit=50")).StatusCode);
        // Reading usage writes this node's counts to the store.
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("/v1/usage")).StatusCode);

        using var browser = OAuthFlows.Browser(host);
        var html = await browser.GetStringAsync("/");
        var order = Regex.Matches(html, "data-most-read=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["ningbo-villages", "ningbo-air-quality-daily"], order);
        var villages = Regex.Match(html, "data-most-read=\"ningbo-villages\">(.*?)</li>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("2 次请求读取 70 行", villages, StringComparison.Ordinal);
        // No tenant's name or id appears with the counts.
        Assert.DoesNotContain("reader-co", html, StringComparison.Ordinal);
        var served = long.Parse(Regex.Match(html, "data-figure=\"served\">([\\d,]+)<").Groups[1].Value.Replace(",", "", StringComparison.Ordinal),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(served >= 77, $"rows served {served}");
    }
}
