using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenData.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Portal;

/// <summary>
/// The portal in Chromium, offline: a developer searches, opens the real villages dataset, sees its preview and code, pages
/// the preview, and switches to English and back; search answers as one types; the main pages pass axe with no serious or
/// critical violation; screenshots of each main page in both languages are kept (the folder is printed).
/// </summary>
public sealed partial class PortalTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Villages = "宁波市村级行政区划（社区、行政村）";

    private const string WatchCsp = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
          e => window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
        """;

    private static readonly string[] MainPages =
        ["/", "/datasets", "/datasets/ningbo-villages", "/datasets/hotline-12345-requests", "/guide", "/guide/query", "/guide/errors", "/guide/quotas",
            // Written by the platform's Auth module in the portal's frame; last, so the language chosen on a portal page holds.
            "/account/signin"];

    private async Task<(IPage Page, List<string> Problems, IBrowserContext Context)> NewPageAsync()
    {
        var context = await browser.NewContextAsync();
        await context.AddInitScriptAsync(WatchCsp);
        var page = await context.NewPageAsync();
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
        page.Response += (_, r) =>
        {
            if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
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

    [Fact]
    public async Task A_developer_finds_the_villages_pages_its_preview_sees_its_code_and_switches_language()
    {
        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await page.GotoAsync("/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "开放数据平台" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "搜索数据集" }).FillAsync("村");
        await page.GetByRole(AriaRole.Button, new() { Name = "搜索", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/datasets\\?q="));
        await page.GetByRole(AriaRole.Link, new() { Name = Villages }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Villages, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("显示第 1–50 条，共 3,042 条")).ToBeVisibleAsync();
        var grid = page.GetByRole(AriaRole.Region, new() { Name = "第 1–50 条数据" }).GetByRole(AriaRole.Table);
        await Expect(grid.GetByRole(AriaRole.Row)).ToHaveCountAsync(51);
        await Expect(grid.GetByRole(AriaRole.Cell, new() { Name = "澄浪社区" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "code 村级区划代码 Village code" })).ToContainTextAsync("明文");
        var curl = page.Locator("code[data-language='curl']");
        await Expect(curl).ToBeVisibleAsync();
        await Expect(curl).ToContainTextAsync("/v1/datasets/ningbo-villages/records");
        await page.GetByText("Python", new() { Exact = true }).ClickAsync();
        await Expect(page.Locator("code[data-language='Python']")).ToContainTextAsync("requests.get(");

        // The next page arrives in place (htmx), by the cursor the read path sealed.
        var address = page.Url;
        await page.GetByRole(AriaRole.Link, new() { Name = "下 50 条" }).ClickAsync();
        await Expect(page.GetByText("显示第 51–100 条，共 3,042 条")).ToBeVisibleAsync();
        await Expect(page.GetByText("显示第 1–50 条，共 3,042 条")).ToHaveCountAsync(0);
        Assert.Equal(address, page.Url);

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Preview" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Showing rows 1–50 of 3,042")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Catalogue", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Villages and communities of Ningbo", Level = 1 })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "中文" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "数据预览" })).ToBeVisibleAsync();
        await AssertCleanAsync(page, problems);
    }

    [Fact]
    public async Task Typing_in_the_catalogue_search_swaps_the_results_in_place_and_keeps_the_address()
    {
        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await page.GotoAsync("/datasets");
        // Other tests of the shared server publish datasets of their own: the whole catalogue's count is read, not assumed.
        var found = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "共找到" });
        await Expect(found).ToContainTextAsync(new System.Text.RegularExpressions.Regex("共找到 \\d+ 个数据集"));
        var whole = (await found.InnerTextAsync()).Trim();
        await page.EvaluateAsync("window.__samePage = true");

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "搜索数据集" }).PressSequentiallyAsync("空气", new() { Delay = 50 });
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "共找到" })).ToContainTextAsync("共找到 1 个数据集");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "宁波市空气质量日报" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Villages })).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("window.__samePage === true"), "the page was reloaded instead of swapped");
        Assert.Contains("q=%E7%A9%BA%E6%B0%94", page.Url, StringComparison.Ordinal);

        // A facet narrows by theme: the count beside it was right.
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "搜索数据集" }).FillAsync("");
        await Expect(found).ToHaveTextAsync(whole);
        await page.GetByRole(AriaRole.Complementary).GetByRole(AriaRole.Link, new() { Name = "行政区划" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "共找到" })).ToContainTextAsync("共找到 1 个数据集");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Villages })).ToBeVisibleAsync();
        await AssertCleanAsync(page, problems);
    }

    [Fact]
    public async Task The_main_pages_have_no_serious_or_critical_accessibility_violation_in_either_language()
    {
        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        var failures = new List<string>();
        foreach (var language in new[] { "zh-CN", "en" })
        {
            foreach (var path in MainPages)
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
                    failures.Add($"{language} {path}: {violation.Id} ({violation.Impact}) {violation.Help}: "
                        + string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html)));
                }
                output.WriteLine($"{language} {path}: {result.Violations.Length} violations ({string.Join(", ", result.Violations.Select(v => $"{v.Id}:{v.Impact}"))}), {result.Passes.Length} rules passed");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertCleanAsync(page, problems);
    }

    [Fact]
    public async Task Screenshots_of_the_main_pages_in_both_languages_are_kept()
    {
        var folder = Directory.CreateDirectory(Path.Combine(ProjectFolder(), "TestResults", "screenshots")).FullName;
        output.WriteLine($"screenshots: {folder}");
        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(1280, 900);
        foreach (var language in new[] { "zh-CN", "en" })
        {
            foreach (var (path, name) in new[] { ("/", "home"), ("/datasets", "catalogue"), ("/datasets/ningbo-villages", "dataset"), ("/datasets/hotline-12345-requests", "dataset-restricted"),
                ("/guide", "guide"), ("/guide/query", "guide-query"), ("/guide/errors", "guide-errors"), ("/guide/quotas", "guide-quotas"),
                ("/account/signin", "signin") })
            {
                await page.GotoAsync(path);
                if (await page.Locator("html").GetAttributeAsync("lang") != language)
                {
                    await page.GetByRole(AriaRole.Button, new() { Name = language == "en" ? "English" : "中文" }).ClickAsync();
                    await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
                }
                var file = Path.Combine(folder, $"{name}.{language}.png");
                await page.ScreenshotAsync(new() { Path = file, FullPage = true });
                Assert.True(new FileInfo(file).Length > 10_000, $"{file} is suspiciously small");
            }
        }
        await AssertCleanAsync(page, problems);
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
