using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Portal;

/// <summary>
/// The owner's column tagging page (issue 15) in Chromium: a fresh upload with a phone column shows the profiler's suggestion with a
/// masked sample; one click on "accept" tags the column in place (htmx) and its "suspected" mark goes; the page passes axe in both languages.
/// </summary>
public sealed partial class PortalTests
{
    [Fact]
    public async Task The_tagging_page_accepts_a_suggestion_in_one_click_and_passes_axe()
    {
        var dataset = $"browser-tagging-{Guid.NewGuid():N}"[..28];
        const string mobile = "13812345678";
        using (var api = new HttpClient { BaseAddress = browser.Server.BaseAddress })
        {
            var owner = await TokenAsync(api, "demo-owner-app", "demo-owner-secret");
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", owner);
            var created = await api.PostAsJsonAsync("/v1/datasets", new
            {
                id = dataset, title = "浏览器测试：联系电话", description = "标注页测试", theme = "public-services", classification = "open",
                license = "CC-BY-4.0", updateFrequency = "irregular",
                columns = new object[] { new { name = "ticket", type = "string" }, new { name = "contact", type = "string" } },
            });
            Assert.True(created.IsSuccessStatusCode, $"dataset: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            var csv = "ticket,contact\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"T{i:D3},{mobile[..7]}{5000 + i}\n"));
            using var upload = await api.PostAsync($"/v1/datasets/{dataset}/versions", new StringContent(csv, Encoding.UTF8, "text/csv"));
            Assert.True(upload.IsSuccessStatusCode, $"upload: {(int)upload.StatusCode}");
            var job = upload.Headers.Location!;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                using var status = JsonDocument.Parse(await api.GetStringAsync(job));
                var state = status.RootElement.GetProperty("status").GetString();
                if (state == "succeeded")
                {
                    break;
                }
                Assert.True(state is "queued" or "running" && DateTime.UtcNow < deadline, $"ingestion: {state}");
                await Task.Delay(200);
            }
        }

        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(1280, 900);
        var path = $"/console/datasets/{dataset}/columns";
        await page.GotoAsync("/account/signin?returnUrl=" + Uri.EscapeDataString(path));
        await page.GetByLabel("E-mail").FillAsync("owner@demo.opendata.local");
        await page.GetByLabel("Password").FillAsync("demo-password-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path) + "$"));

        // The suggestion, with its sample masked; the column is marked suspected until tagged.
        var card = page.Locator("article[data-column='contact']");
        await Expect(card).ToHaveAttributeAsync("data-suspected", "true");
        await Expect(card.Locator("[data-suggestion='pii.phone']")).ToBeVisibleAsync();
        await Expect(card.Locator("[data-sample]")).ToContainTextAsync("138****");
        Assert.DoesNotContain(mobile[..7] + "5000", await page.ContentAsync(), StringComparison.Ordinal);
        await CheckAxeAsync(page, $"zh-CN {path} (before tagging)", problems);

        // One click: the card is swapped in place (htmx), tagged, and no longer suspected.
        await card.GetByRole(AriaRole.Button, new() { Name = "pii.phone" }).ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-tag", "pii.phone");
        await Expect(card).ToHaveAttributeAsync("data-suspected", "false");
        await Expect(card.Locator("[data-suspected-badge]")).ToHaveCountAsync(0);
        await Expect(card.GetByRole(AriaRole.Status)).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path) + "$"));

        await ScanInBothLanguagesAsync(page, problems, [(path, "owner-tagging"), ("/console/datasets", "owner-datasets-tagging")]);
        lock (problems)
        {
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        await AssertCleanAsync(page, problems);
    }
}
