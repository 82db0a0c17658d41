using System.Net.Http.Headers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Portal;

/// <summary>
/// The owner's monitoring page (监测预警) in Chromium: a consumer reads the civil affairs bureau's villages, once far past the floor;
/// the demo owner sees the reads by tenant in a chart with its table and the unusual read raised; the page passes axe in both
/// languages.
/// </summary>
public sealed partial class PortalTests
{
    [Fact]
    public async Task The_monitoring_page_shows_reads_by_tenant_and_an_unusual_read_and_passes_axe()
    {
        using (var api = new HttpClient { BaseAddress = browser.Server.BaseAddress })
        {
            var consumer = await TokenAsync(api, "demo-consumer-app", "demo-consumer-secret");
            foreach (var limit in new[] { 5, 1000, 200 })
            {
                using var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/ningbo-villages/records?limit={limit}");
                read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", consumer);
                Assert.True((await api.SendAsync(read)).IsSuccessStatusCode, "the villages were not read");
            }
        }

        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync("/account/signin?returnUrl=%2Fconsole%2Fmonitoring%3Fdataset%3Dningbo-villages");
        await page.GetByLabel("E-mail").FillAsync("owner@demo.opendata.local");
        await page.GetByLabel("Password").FillAsync("demo-password-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/monitoring"));

        // The check runs every 2 seconds on this server: the unusual read appears after a reload or two.
        var anomaly = page.Locator("tr[data-anomaly][data-dataset='ningbo-villages'][data-tenant='demo-consumer']");
        for (var i = 0; i < 20 && await anomaly.CountAsync() == 0; i++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        await Expect(anomaly).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-reader='demo-consumer']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-anomaly-count]")).Not.ToHaveAttributeAsync("data-anomaly-count", "0");
        // The chart is drawn from the table beside it.
        await Expect(page.Locator("#monitoring-chart canvas")).ToBeVisibleAsync();
        await Expect(page.Locator("table[data-reads-table] th[data-tenant='demo-consumer']")).ToBeVisibleAsync();

        // The picker: requests instead of rows, through the form.
        await page.GetByLabel("指标").SelectOptionAsync("requests");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        await Expect(page.Locator("table[data-reads-table]")).ToHaveAttributeAsync("data-measure", "requests");

        await ScanInBothLanguagesAsync(page, problems, [("/console/monitoring?dataset=ningbo-villages", "owner-monitoring")]);
        lock (problems)
        {
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        await AssertCleanAsync(page, problems);
    }
}
