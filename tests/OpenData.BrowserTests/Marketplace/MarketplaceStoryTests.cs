using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using OpenData.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Marketplace;

/// <summary>
/// The marketplace in Chromium, on a server of its own: the demo owner creates and publishes a product with two plans in its provider
/// console; the demo developer compares the plans on the product's page and subscribes the demo app, accepting the agreement; the
/// owner approves the subscription in its inbox; the app calls the API and the developer sees the call on its statement, the owner
/// the revenue on its own. The marketplace's pages pass axe in both languages and are kept as screenshots.
/// </summary>
public sealed class MarketplaceStoryTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private StoryPages Pages => new(browser, output);

    private const string Dataset = "ningbo-air-quality-daily";

    [Fact]
    public async Task A_consumer_compares_two_plans_subscribes_calls_the_api_and_sees_the_statement_and_the_provider_approves_and_sees_the_revenue()
    {
        var id = "air-story-" + Guid.NewGuid().ToString("N")[..8];

        // The provider publishes a product with two plans from its console.
        var (owner, ownerProblems, ownerContext) = await Pages.NewPageAsync();
        await using var _ = ownerContext;
        await StoryPages.SignInAsync(owner, "owner@demo.opendata.local", "/console/products");
        await owner.GetByLabel("标识", new() { Exact = true }).FillAsync(id);
        await owner.GetByLabel("名称（中文）").FillAsync("空气质量日报接口（浏览器）");
        await owner.GetByLabel("名称（英文，选填）").FillAsync("Daily air quality API (browser)");
        await owner.GetByLabel("简介（中文）").FillAsync("按日提供宁波空气质量数据。");
        await owner.GetByLabel("其他数据集（开放数据）标识").FillAsync(Dataset);
        var first = owner.Locator("[data-plan-row='0']");
        await first.GetByLabel("代号").FillAsync("basic");
        await first.GetByLabel("名称", new() { Exact = true }).FillAsync("基础版");
        await first.GetByLabel("计价方式").SelectOptionAsync("per_call");
        await first.GetByLabel("金额（元）").FillAsync("0.01");
        await first.GetByLabel("每日请求数").FillAsync("100");
        var second = owner.Locator("[data-plan-row='1']");
        await second.GetByLabel("代号").FillAsync("pro");
        await second.GetByLabel("名称", new() { Exact = true }).FillAsync("专业版");
        await second.GetByLabel("计价方式").SelectOptionAsync("monthly");
        await second.GetByLabel("金额（元）").FillAsync("300");
        await owner.GetByLabel("协议版本").FillAsync("2026-12");
        await owner.GetByLabel("协议正文（订阅方接受的条款）").FillAsync("使用者不得将数据用于识别个人。");
        await owner.GetByLabel("立即发布（否则为仅本单位可见的草稿）").CheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "创建产品" }).ClickAsync();
        await Expect(owner.Locator($"[data-product-row='{id}']")).ToHaveAttributeAsync("data-status", "published");
        await Pages.AssertCleanAsync(owner, ownerProblems);

        // The consumer compares the two plans side by side and subscribes the demo app.
        var (page, problems, context) = await Pages.NewPageAsync();
        await using var __ = context;
        await StoryPages.SignInAsync(page, "developer@demo.opendata.local", "/marketplace");
        await page.GetByRole(AriaRole.Link, new() { Name = "空气质量日报接口（浏览器）" }).ClickAsync();
        var plans = page.Locator("[data-plan-table]");
        await Expect(plans.GetByRole(AriaRole.Columnheader, new() { Name = "基础版" })).ToBeVisibleAsync();
        await Expect(plans.GetByRole(AriaRole.Columnheader, new() { Name = "专业版" })).ToBeVisibleAsync();
        await Expect(plans.Locator("[data-price='basic']")).ToHaveTextAsync("每次调用 ¥0.01");
        await Expect(plans.Locator("[data-price='pro']")).ToHaveTextAsync("每月 ¥300");
        await Expect(plans.Locator("[data-daily-requests='pro']")).ToHaveTextAsync("不限");
        await page.GetByLabel("基础版 · 每次调用 ¥0.01").CheckAsync();
        await page.GetByLabel("应用", new() { Exact = true }).SelectOptionAsync("demo-consumer-app");
        await page.GetByRole(AriaRole.Button, new() { Name = "订阅", Exact = true }).ClickAsync();
        // Without accepting the agreement the subscription is refused beside the box.
        await Expect(page.Locator("[data-field-error='accept']")).ToBeVisibleAsync();
        await page.GetByLabel("我接受服务协议（版本 2026-12）").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "订阅", Exact = true }).ClickAsync();
        var done = page.Locator("[data-done='subscribed']");
        await Expect(done).ToHaveAttributeAsync("data-subscription-status", "pending");
        var subscription = (await done.GetAttributeAsync("data-subscription"))!;
        await Expect(page.Locator($"[data-subscription-row='{subscription}'] [data-agreement-version]")).ToHaveTextAsync("2026-12");

        // The provider approves it in its inbox.
        await owner.GotoAsync("/console/inbox");
        var pending = owner.Locator($"[data-pending-subscription='{subscription}']");
        await pending.GetByLabel("理由（拒绝时必填）").FillAsync("欢迎使用");
        await pending.GetByRole(AriaRole.Button, new() { Name = "批准" }).ClickAsync();
        await Expect(owner.Locator($"[data-subscription-decided='{subscription}']")).ToHaveAttributeAsync("data-decided-status", "active");

        // The app calls the API under the subscription's policy.
        using (var api = new HttpClient { BaseAddress = browser.Server.BaseAddress })
        {
            using var token = await api.PostAsync("/connect/token", new FormUrlEncodedContent(
                [new("grant_type", "client_credentials"), new("client_id", "demo-consumer-app"), new("client_secret", "demo-consumer-secret")]));
            token.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
            using var records = await api.GetAsync($"/v1/datasets/{Dataset}/records?limit=1");
            Assert.True(records.IsSuccessStatusCode, $"the app's call was answered {(int)records.StatusCode}");
            Assert.Contains(subscription, string.Join(",", records.Headers.GetValues("RateLimit-Policy")), StringComparison.Ordinal);
        }

        // The consumer sees the call on its statement; the provider the revenue.
        await page.GotoAsync("/console/statements");
        var line = page.Locator($"[data-line='{subscription}']");
        await Expect(line.Locator("[data-amount]")).ToHaveTextAsync("0.01");
        await Expect(page.Locator("[data-total]")).ToHaveAttributeAsync("data-total", "0.01");
        await owner.GotoAsync("/console/statements?role=provider");
        await Expect(owner.Locator($"[data-revenue-row='{id}']")).ToContainTextAsync("0.01");

        await Pages.ScanInBothLanguagesAsync(page, problems, [("/marketplace", "marketplace"), ($"/marketplace/{id}", "marketplace-product"),
            ("/console/subscriptions", "console-subscriptions"), ("/console/statements", "console-statements")]);
        await Pages.AssertCleanAsync(page, problems);
        await Pages.ScanInBothLanguagesAsync(owner, ownerProblems, [("/console/products", "console-products"), ("/console/inbox", "owner-inbox-subscriptions"),
            ("/console/statements?role=provider", "console-statements-provider")]);
        await Pages.AssertCleanAsync(owner, ownerProblems);
    }
}
