using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Infrastructure;

/// <summary>
/// What the browser stories (contest, marketplace) do on every page: a context of its own that records CSP violations, console
/// errors, server errors and missing files; the demo sign-in; axe and a screenshot of each page in both languages.
/// </summary>
internal sealed class StoryPages(BrowserFixture browser, ITestOutputHelper output)
{
    private const string DemoPassword = "demo-password-2026";

    private const string WatchCsp = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
          e => window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
        """;

    public async Task<(IPage Page, List<string> Problems, IBrowserContext Context)> NewPageAsync()
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

    public async Task AssertCleanAsync(IPage page, List<string> problems)
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
    public static async Task SignInAsync(IPage page, string email, string returnUrl)
    {
        await page.GotoAsync("/account/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(returnUrl) + "$"));
    }

    /// <summary>Each page in Chinese, then in English: axe (no serious or critical violation) and a full-page screenshot kept.</summary>
    public async Task ScanInBothLanguagesAsync(IPage page, List<string> problems, (string Path, string Name)[] pages)
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
