using System.Net.Http.Headers;
using System.Text.Json;
using Deque.AxeCore.Playwright;
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
    private const string DemoPassword = "demo-password-2026";

    private const string Dataset = "ningbo-air-quality-daily";

    private const string WatchCsp = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
          e => window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
        """;

    [Fact]
    public async Task A_consumer_compares_two_plans_subscribes_calls_the_api_and_sees_the_statement_and_the_provider_approves_and_sees_the_revenue()
    {
        var id = "air-story-" + Guid.NewGuid().ToString("N")[..8];

        // The provider publishes a product with two plans from its console.
        var (owner, ownerProblems, ownerContext) = await NewPageAsync();
        await using var _ = ownerContext;
        await SignInAsync(owner, "owner@demo.opendata.local", "/console/products");
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
        await AssertCleanAsync(owner, ownerProblems);

        // The consumer compares the two plans side by side and subscribes the demo app.
        var (page, problems, context) = await NewPageAsync();
        await using var __ = context;
        await SignInAsync(page, "developer@demo.opendata.local", "/marketplace");
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

        await ScanInBothLanguagesAsync(page, problems, [("/marketplace", "marketplace"), ($"/marketplace/{id}", "marketplace-product"),
            ("/console/subscriptions", "console-subscriptions"), ("/console/statements", "console-statements")]);
        await AssertCleanAsync(page, problems);
        await ScanInBothLanguagesAsync(owner, ownerProblems, [("/console/products", "console-products"), ("/console/inbox", "owner-inbox-subscriptions"),
            ("/console/statements?role=provider", "console-statements-provider")]);
        await AssertCleanAsync(owner, ownerProblems);
    }

    private async Task<(IPage Page, List<string> Problems, IBrowserContext Context)> NewPageAsync()
    {
        var context = await browser.NewContextAsync();
        await context.AddInitScriptAsync(WatchCsp);
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);
        var problems = new List<string>();
        void Add(string problem)
        {
            lock (problems)
            {
                problems.Add(problem);
            }
        }
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                Add($"console error: {m.Text}");
            }
        };
        // A refused form answers 4xx on purpose: only server errors and missing files are problems here.
        page.Response += (_, r) =>
        {
            if ((r.Status >= 500 || r.Status == 404) && !r.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                Add($"{r.Status} for {r.Url}");
            }
        };
        page.PageError += (_, e) => Add($"uncaught: {e}");
        return (page, problems, context);
    }

    private async Task AssertCleanAsync(IPage page, List<string> problems)
    {
        var violations = await page.EvaluateAsync<string[]>("window.__cspViolations");
        Assert.True(violations.Length == 0, "CSP violations: " + string.Join("; ", violations));
        lock (problems)
        {
            Assert.True(problems.Count == 0, string.Join("; ", problems));
        }
        Assert.True(browser.BlockedRequests.Count == 0, "requests off this machine: " + string.Join(", ", browser.BlockedRequests));
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

    /// <summary>Each page in Chinese, then in English: axe (no serious or critical violation) and a full-page screenshot kept.</summary>
    private async Task ScanInBothLanguagesAsync(IPage page, List<string> problems, (string Path, string Name)[] pages)
    {
        var folder = Directory.CreateDirectory(Path.Combine(ProjectFolder(), "TestResults", "screenshots")).FullName;
        output.WriteLine($"screenshots: {folder}");
        foreach (var language in new[] { "zh-CN", "en" })
        {
            foreach (var (path, name) in pages)
            {
                await page.GotoAsync(path);
                if (await page.Locator("html").GetAttributeAsync("lang") != language)
                {
                    await page.GetByRole(AriaRole.Button, new() { Name = language == "en" ? "English" : "中文" }).ClickAsync();
                    await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
                }
                var result = await page.RunAxe();
                foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
                {
                    lock (problems)
                    {
                        problems.Add($"{language} {path}: {violation.Id} ({violation.Impact}) {violation.Help}: "
                            + string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html)));
                    }
                }
                var file = Path.Combine(folder, $"{name}.{language}.png");
                await page.ScreenshotAsync(new() { Path = file, FullPage = true });
            }
        }
    }

    private static string ProjectFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenData.BrowserTests.csproj")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}
