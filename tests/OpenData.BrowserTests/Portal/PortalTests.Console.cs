using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Portal;

/// <summary>
/// The signed-in developer in Chromium: signs up, creates an app and copies its secret, asks for access to the restricted
/// hotline data from its page and finds the request pending in the console, runs a query in the try-it console and sees the
/// quota move; the console's pages pass axe and are kept as
/// screenshots in both languages.
/// </summary>
public sealed partial class PortalTests
{
    private const string Restricted = "/datasets/hotline-12345-requests";

    [Fact]
    public async Task A_developer_signs_up_creates_an_app_copies_its_secret_requests_access_and_sees_it_pending()
    {
        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await SignUpAsync(page, "browser-walk");

        // An app: its secret is shown once, with a copy button.
        // A live app (the console is in live mode, so the try-it console below offers live apps only).
        await page.GetByLabel("应用名称").FillAsync("数据大屏");
        await page.GetByLabel("生产").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "创建应用" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "应用已创建" })).ToBeVisibleAsync();
        var secret = (await page.Locator("[data-client-secret]").TextContentAsync())!.Trim();
        Assert.StartsWith("ods_", secret, StringComparison.Ordinal);
        await Expect(page.GetByText("它不会再次显示", new() { Exact = false })).ToBeVisibleAsync();
        var copy = page.GetByRole(AriaRole.Button, new() { Name = "复制密钥" });
        await copy.ClickAsync();
        await Expect(page.Locator("[data-copy]")).ToContainTextAsync("✓");
        // What the button put on the clipboard is the secret shown (headless Chromium may keep no clipboard: then the shown value is what was checked).
        var copied = await page.EvaluateAsync<string?>("navigator.clipboard.readText().catch(() => null)");
        Assert.True(copied is null || copied == secret, $"the clipboard holds '{copied}'");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "数据大屏" })).ToContainTextAsync("生产");

        // The restricted dataset's page: the form, columns from the data dictionary, then the request's status.
        await page.GotoAsync(Restricted);
        await page.GetByLabel("用途").FillAsync("分析各区热线诉求的季节变化，用于公共服务研究");
        foreach (var column in new[] { "callerName", "callerMobile", "callerIdCard", "address" })
        {
            await page.Locator($"#column-{column}").UncheckAsync();
        }
        await page.GetByLabel("期限（天）").FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Expect(page.Locator("[data-request-status='submitted']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-request-access]")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "在控制台查看" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "hotline-12345-requests" });
        await Expect(row).ToContainTextAsync("待审核");
        await Expect(row).ToContainTextAsync("district");
        await Expect(row).Not.ToContainTextAsync("callerName");

        // The try-it console: a query on the villages as the app, its answer and headers swapped in by htmx, and the quota moving.
        await page.GotoAsync("/datasets/ningbo-villages");
        await page.GetByRole(AriaRole.Link, new() { Name = "在“在线调试”中运行此查询" }).ClickAsync();
        await Expect(page.Locator("#field-dataset")).ToHaveValueAsync("ningbo-villages");
        await page.GetByLabel("where（筛选条件）").FillAsync("areaCode = '330212'");
        await page.GetByLabel("limit（行数）").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "运行" }).ClickAsync();
        await Expect(page.Locator("[data-try-status]")).ToHaveAttributeAsync("data-try-status", "200");
        await Expect(page.Locator("[data-header='RateLimit']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-try-curl]")).ToContainTextAsync("where=areaCode = '330212'");
        var before = long.Parse((await page.Locator("[data-rows-left]").GetAttributeAsync("data-rows-left"))!, System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByRole(AriaRole.Button, new() { Name = "运行" }).ClickAsync();
        await Expect(page.Locator("[data-rows-left]")).ToHaveAttributeAsync("data-rows-left", (before - 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await CheckAxeAsync(page, "zh-CN /console/try (answer shown)", problems);
        var screenshots = Directory.CreateDirectory(Path.Combine(ProjectFolder(), "TestResults", "screenshots")).FullName;
        await page.SetViewportSizeAsync(1280, 900);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "console-try-answer.zh-CN.png"), FullPage = true });
        await AssertCleanAsync(page, problems);
    }

    [Fact]
    public async Task A_developer_flips_the_sandbox_switch_and_every_page_says_sandbox_until_it_is_flipped_back()
    {
        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await SignUpAsync(page, "browser-sandbox");
        var toggle = page.GetByRole(AriaRole.Switch, new() { Name = "沙箱模式" }).First;
        await Expect(toggle).ToHaveAttributeAsync("aria-checked", "false");
        await Expect(page.Locator("[data-sandbox-banner]")).ToHaveCountAsync(0);

        await toggle.ClickAsync();
        var banner = page.GetByRole(AriaRole.Region, new() { Name = "沙箱", Exact = true });
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync("sbx_");
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "沙箱模式" }).First).ToHaveAttributeAsync("aria-checked", "true");
        // New apps are sandbox apps by default; the dataset pages carry the banner too.
        await Expect(page.Locator("#environment-sandbox")).ToBeCheckedAsync();
        await CheckAxeAsync(page, "zh-CN /console (sandbox mode)", problems);
        await page.GotoAsync(Restricted);
        await Expect(banner).ToBeVisibleAsync();

        // Back to live from the banner: it goes, on the page the person was on.
        await banner.GetByRole(AriaRole.Switch).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/datasets/hotline-12345-requests$"));
        await Expect(page.Locator("[data-sandbox-banner]")).ToHaveCountAsync(0);
        lock (problems)
        {
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        await AssertCleanAsync(page, problems);
    }

    [Fact]
    public async Task The_console_pages_pass_axe_and_are_kept_as_screenshots_in_both_languages()
    {
        var folder = Directory.CreateDirectory(Path.Combine(ProjectFolder(), "TestResults", "screenshots")).FullName;
        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync("/signup");
        await CheckAxeAsync(page, "zh-CN /signup", problems);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "signup.zh-CN.png"), FullPage = true });
        await SignUpAsync(page, "browser-axe");
        await page.GetByLabel("应用名称").FillAsync("演示应用");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建应用" }).ClickAsync();
        await Expect(page.Locator("[data-client-secret]")).ToBeVisibleAsync();
        await CheckAxeAsync(page, "zh-CN /console (secret shown)", problems);
        // A webhook, so its page has a row and a (still empty) delivery log; its secret is shown once.
        await page.GotoAsync("/console/webhooks");
        await page.GetByLabel("地址（URL）").FillAsync("https://hooks.example.org/opendata");
        await page.GetByRole(AriaRole.Button, new() { Name = "注册", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-webhook-secret]")).ToBeVisibleAsync();
        await CheckAxeAsync(page, "zh-CN /console/webhooks (secret shown)", problems);
        // A few queries through the try-it console, so usage, the request log and the quota gauges have something to show.
        await page.GotoAsync("/console/try?dataset=ningbo-villages");
        foreach (var where in new[] { "areaCode = '330212'", "name like '%村'", "areaCode = '330203'" })
        {
            await page.GetByLabel("where（筛选条件）").FillAsync(where);
            await page.GetByRole(AriaRole.Button, new() { Name = "运行" }).ClickAsync();
            await Expect(page.Locator("[data-try-curl]")).ToContainTextAsync(where);
        }
        await ScanInBothLanguagesAsync(page, problems, [("/console", "console-apps"), ("/console/members", "console-members"), ("/console/requests", "console-requests"),
            ("/console/usage", "console-usage"), ("/console/webhooks", "console-webhooks"), ("/console/try", "console-try"), (Restricted, "dataset-request-access")]);
        lock (problems)
        {
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        await AssertCleanAsync(page, problems);
    }

    /// <summary>Signs a new person up (a fresh e-mail each run of the shared server) and lands in the console.</summary>
    private static async Task SignUpAsync(IPage page, string who)
    {
        await page.GotoAsync("/signup");
        await page.GetByLabel("单位名称").FillAsync("浏览器测试公司 " + who);
        await page.GetByLabel("您的姓名").FillAsync("测试员");
        await page.GetByLabel("电子邮箱").FillAsync($"{who}-{Guid.NewGuid():N}@example.test");
        await page.GetByLabel("密码").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "注册", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "开发者控制台" })).ToBeVisibleAsync();
    }

    /// <summary>Each page in Chinese, then in English (switched by the header's button): axe, and a full-page screenshot kept.</summary>
    private async Task ScanInBothLanguagesAsync(IPage page, List<string> problems, (string Path, string Name)[] pages)
    {
        var folder = Directory.CreateDirectory(Path.Combine(ProjectFolder(), "TestResults", "screenshots")).FullName;
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
                await CheckAxeAsync(page, $"{language} {path}", problems);
                var file = Path.Combine(folder, $"{name}.{language}.png");
                await page.ScreenshotAsync(new() { Path = file, FullPage = true });
                Assert.True(new FileInfo(file).Length > 10_000, $"{file} is suspiciously small");
            }
        }
    }

    private async Task CheckAxeAsync(IPage page, string where, List<string> problems)
    {
        var result = await page.RunAxe();
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            lock (problems)
            {
                problems.Add($"{where}: {violation.Id} ({violation.Impact}) {violation.Help}: " + string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html)));
            }
        }
        output.WriteLine($"{where}: {result.Violations.Length} violations ({string.Join(", ", result.Violations.Select(v => $"{v.Id}:{v.Impact}"))})");
    }
}
