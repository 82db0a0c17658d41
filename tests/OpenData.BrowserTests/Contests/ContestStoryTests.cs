using System.Globalization;
using System.Text;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OpenData.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Contests;

/// <summary>
/// A contest in Chromium, on a server of its own whose clock the test moves forward (so a deadline passes without waiting): the
/// demo operator creates the contest with the organiser's form; once registration opens, the demo developer registers a team,
/// sees its sandbox credentials once and submits the app with a PDF. The contest's pages pass axe in both languages.
/// </summary>
public sealed class ContestStoryTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string DemoPassword = "demo-password-2026";

    private const string WatchCsp = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
          e => window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
        """;

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task A_team_registers_and_submits_its_app_in_a_contest_the_organiser_created()
    {
        var id = "story-" + Guid.NewGuid().ToString("N")[..8];
        // The contest opens a day from now (China Standard Time, as the form takes it).
        var opens = browser.Clock.GetUtcNow().AddDays(1);
        string Local(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

        // The organiser creates it with the form.
        var (organiser, organiserProblems, organiserContext) = await NewPageAsync();
        await using (organiserContext)
        {
            await SignInAsync(organiser, "operator@demo.opendata.local", "/console/contests");
            await organiser.GetByRole(AriaRole.Link, new() { Name = "创建大赛" }).ClickAsync();
            await organiser.GetByLabel("标识").FillAsync(id);
            await organiser.GetByLabel("名称（中文）").FillAsync("宁波数据开放创新应用大赛（浏览器）");
            await organiser.GetByLabel("名称（英文）").FillAsync("Ningbo open data contest (browser)");
            await organiser.GetByLabel("简介（中文）").FillAsync("用空气质量数据做出便民应用。");
            await organiser.GetByLabel("大赛数据集").FillAsync("ningbo-air-quality-daily");
            await organiser.GetByLabel("赛道").FillAsync("应用创新");
            await organiser.GetByLabel("报名开始").FillAsync(Local(opens));
            await organiser.GetByLabel("报名截止").FillAsync(Local(opens.AddDays(2)));
            await organiser.GetByLabel("作品提交截止").FillAsync(Local(opens.AddDays(4)));
            await organiser.GetByLabel("大赛结束").FillAsync(Local(opens.AddDays(10)));
            await organiser.GetByRole(AriaRole.Button, new() { Name = "创建大赛" }).ClickAsync();
            await Expect(organiser.Locator("[data-done='created']")).ToBeVisibleAsync();
            await Expect(organiser.Locator($"[data-organise='{id}']")).ToHaveAttributeAsync("data-phase", "upcoming");
            await AssertCleanAsync(organiser, organiserProblems);
        }

        // A day later registration is open (the sign-in cookies of before have expired on the server's clock).
        browser.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await SignInAsync(page, "developer@demo.opendata.local", "/contests");
        await page.GetByRole(AriaRole.Link, new() { Name = "宁波数据开放创新应用大赛（浏览器）" }).ClickAsync();
        await Expect(page.Locator("[data-step='registration']")).ToHaveAttributeAsync("aria-current", "step");
        await page.GetByRole(AriaRole.Link, new() { Name = "报名组队" }).ClickAsync();
        await page.GetByLabel("团队名称").FillAsync("空气侦探");
        await page.GetByLabel("其他成员的邮箱").FillAsync("teammate@example.test");
        await page.GetByLabel("赛道").SelectOptionAsync("应用创新");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "参赛规则与条款 条款第 1 版" })).ToContainTextAsync("sandbox");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交报名" }).ClickAsync();
        // Without accepting the terms the registration is refused beside the checkbox.
        await Expect(page.Locator("[data-field-error='acceptTerms']")).ToBeVisibleAsync();
        await page.GetByLabel("我代表团队接受以上参赛规则与条款").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "提交报名" }).ClickAsync();
        await Expect(page.Locator("[data-team-status='approved']")).ToBeVisibleAsync();
        var secret = (await page.Locator("[data-client-secret]").TextContentAsync())!.Trim();
        Assert.StartsWith("sbx_", secret, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "前往团队页面" }).ClickAsync();
        await Expect(page.Locator("[data-client-secret]")).ToHaveCountAsync(0);

        // The submission, with its PDF.
        await page.GetByLabel("作品名称").FillAsync("空气早知道");
        await page.GetByLabel("作品简介").FillAsync("按街道提醒敏感人群空气质量变化。");
        await page.GetByLabel("演示地址").FillAsync("https://demo.example.org/air");
        await page.GetByLabel("ningbo-air-quality-daily").CheckAsync();
        await page.GetByLabel("PDF 材料（演示文稿或报告）").SetInputFilesAsync(new FilePayload { Name = "slides.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await page.GetByRole(AriaRole.Button, new() { Name = "提交作品" }).ClickAsync();
        await Expect(page.Locator("[data-done='submitted']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-version='1']")).ToHaveAttributeAsync("data-current", "true");
        await Expect(page.Locator("[data-version='1']").GetByRole(AriaRole.Link, new() { Name = "slides.pdf" })).ToBeVisibleAsync();

        var team = new Uri(page.Url).AbsolutePath;
        await ScanInBothLanguagesAsync(page, problems, [("/contests", "contests"), ($"/contests/{id}", "contest"), ($"/console/contests/{id}/register", "contest-register"),
            (team, "contest-team")]);
        await AssertCleanAsync(page, problems);
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
