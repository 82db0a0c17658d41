using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Portal;

/// <summary>
/// The operator's tenants pages in Chromium: the demo operator finds the demo consumer, overrides its rows a day, and — in a
/// browser of its own — the consumer's person sees the new limit in the usage page's quota gauge; both pages pass axe and are
/// kept as screenshots in both languages.
/// </summary>
public sealed partial class PortalTests
{
    private const string DemoPassword = "demo-password-2026";

    [Fact]
    public async Task The_operator_overrides_the_consumers_daily_rows_and_the_consumers_gauge_shows_the_new_limit()
    {
        const string limit = "1234567";
        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(1280, 900);
        await SignInAsync(page, "operator@demo.opendata.local", "/console/tenants");

        // Find the consumer by its id, open its page, override one limit.
        await page.GetByLabel("名称或标识").FillAsync("demo-consumer");
        await page.GetByRole(AriaRole.Button, new() { Name = "搜索" }).ClickAsync();
        var row = page.Locator("tr[data-tenant='demo-consumer']");
        await Expect(row).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("[data-tenant-page='demo-consumer']")).ToBeVisibleAsync();
        await page.GetByLabel("每日行数").FillAsync(limit);
        await page.GetByRole(AriaRole.Button, new() { Name = "保存限额" }).ClickAsync();
        await Expect(page.Locator("[data-done='Tenant.LimitsSaved']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-limit='dailyRows']")).ToHaveAttributeAsync("data-effective", limit);

        await ScanInBothLanguagesAsync(page, problems, [("/console/tenants", "operator-tenants"), ("/console/tenants/demo-consumer", "operator-tenant")]);

        // The consumer's person, in a browser of their own: the gauge of rows a day has the new limit.
        var (consumer, consumerProblems, consumerContext) = await NewPageAsync();
        await using (consumerContext)
        {
            await SignInAsync(consumer, "developer@demo.opendata.local", "/console/usage");
            var gauge = consumer.Locator("[data-quota-used='rows']");
            await Expect(gauge).ToHaveAttributeAsync("data-limit", limit);
            await Expect(gauge).ToContainTextAsync("1,234,567");
            await Expect(consumer.Locator("meter#quota-rows")).ToHaveAttributeAsync("max", limit);
            await AssertCleanAsync(consumer, consumerProblems);
        }

        // The override cleared again, so the shared server's other tests see the plan's limit.
        await page.GotoAsync("/console/tenants/demo-consumer");
        await page.Locator("#limit-dailyRows").FillAsync("");
        await page.Locator("[data-limits-form] button[type=submit]").ClickAsync();
        await Expect(page.Locator("[data-limit='dailyRows']")).Not.ToHaveAttributeAsync("data-effective", limit);
        lock (problems)
        {
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        await AssertCleanAsync(page, problems);
    }

    /// <summary>Signs a demo person in on the sign-in page and lands where <paramref name="returnUrl"/> says.</summary>
    private static async Task SignInAsync(IPage page, string email, string returnUrl)
    {
        await page.GotoAsync("/account/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(returnUrl) + "$"));
    }
}
