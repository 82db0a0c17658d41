using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Portal;

/// <summary>
/// The owner's console pages (issue 15, first pages) in Chromium: a reviewer of the hotline centre signs in, finds a consumer's
/// request in the inbox with its risk panel, narrows a column and sees the figures recomputed; the owner pages pass axe and are
/// kept as screenshots in both languages.
/// </summary>
public sealed partial class PortalTests
{
    [Fact]
    public async Task The_owner_pages_pass_axe_and_the_inbox_recomputes_the_risk_as_columns_are_narrowed()
    {
        var email = $"reviewer-{Guid.NewGuid():N}@example.test";
        using (var api = new HttpClient { BaseAddress = browser.Server.BaseAddress })
        {
            var owner = await TokenAsync(api, "demo-hotline-app", "demo-hotline-secret");
            using var member = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants/ningbo-12345-hotline/members")
            {
                Content = JsonContent.Create(new { email, name = "审核员", role = "reviewer", password = "correct horse battery" }),
            };
            member.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner);
            Assert.True((await api.SendAsync(member)).IsSuccessStatusCode, "the reviewer was not created");
            var consumer = await TokenAsync(api, "demo-consumer-app", "demo-consumer-secret");
            using var ask = new HttpRequestMessage(HttpMethod.Post, "/v1/access-requests")
            {
                Content = JsonContent.Create(new { datasetId = "hotline-12345-requests", purpose = "浏览器测试：各区诉求分析", durationDays = 30 }),
            };
            ask.Headers.Authorization = new AuthenticationHeaderValue("Bearer", consumer);
            // A request may already be open from another test of the shared server: either way the inbox has one.
            var asked = await api.SendAsync(ask);
            Assert.True(asked.IsSuccessStatusCode || asked.StatusCode == System.Net.HttpStatusCode.Conflict, $"request: {(int)asked.StatusCode}");
        }

        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync("/account/signin?returnUrl=%2Fconsole%2Finbox");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/inbox$"));

        // The risk panel follows the columns: unchecking one swaps in new figures (htmx), without a page load.
        var request = page.Locator("[data-inbox-request][data-requester='demo-consumer']").First;
        await Expect(request).ToBeVisibleAsync();
        var risk = request.Locator("[data-risk-for]");
        var before = await risk.GetAttributeAsync("data-columns");
        var box = request.Locator("input[type=checkbox][name=columns]").First;
        var column = await box.GetAttributeAsync("value");
        await box.UncheckAsync();
        await Expect(risk).Not.ToHaveAttributeAsync("data-columns", before!);
        Assert.DoesNotContain(column!, (await risk.GetAttributeAsync("data-columns"))!.Split(','));
        await CheckAxeAsync(page, "zh-CN /console/inbox (a column narrowed)", problems);

        await ScanInBothLanguagesAsync(page, problems, [("/console/inbox", "owner-inbox"), ("/console/datasets", "owner-datasets"), ("/console/grants", "owner-grants")]);
        lock (problems)
        {
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        await AssertCleanAsync(page, problems);
    }

    private static async Task<string> TokenAsync(HttpClient api, string clientId, string secret)
    {
        using var response = await api.PostAsync("/connect/token", new FormUrlEncodedContent(
            [new("grant_type", "client_credentials"), new("client_id", clientId), new("client_secret", secret)]));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}
