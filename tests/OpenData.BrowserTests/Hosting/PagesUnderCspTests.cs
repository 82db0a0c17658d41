using Microsoft.Playwright;
using OpenData.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Hosting;

/// <summary>
/// The HTML pages the platform serves still work in a real browser under their Content-Security-Policy: Swagger UI at
/// <c>/docs</c> renders the API's operations, the sign-in page shows its form and signing in lands on the home page, with no
/// CSP violation or script error.
/// </summary>
public sealed class PagesUnderCspTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string WatchCsp = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
          e => window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
        """;

    private async Task<(IPage Page, List<string> Problems, IBrowserContext Context)> OpenAsync(string path)
    {
        var context = await browser.NewContextAsync();
        await context.AddInitScriptAsync(WatchCsp);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            // A resource that fails to load is judged by its URL below (the browser asks for /favicon.ico by itself).
            if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (problems)
                {
                    problems.Add($"console error: {m.Text}");
                }
            }
        };
        page.Response += (_, r) =>
        {
            if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                lock (problems)
                {
                    problems.Add($"{r.Status} for {r.Url}");
                }
            }
        };
        page.PageError += (_, e) =>
        {
            lock (problems)
            {
                problems.Add($"uncaught: {e}");
            }
        };
        var response = await page.GotoAsync(path);
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Contains("frame-ancestors 'none'", await response.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        return (page, problems, context);
    }

    private static async Task AssertCleanAsync(IPage page, List<string> problems)
    {
        var violations = await page.EvaluateAsync<string[]>("window.__cspViolations");
        Assert.True(violations.Length == 0, "CSP violations: " + string.Join("; ", violations));
        lock (problems)
        {
            Assert.True(problems.Count == 0, string.Join("; ", problems));
        }
    }

    [Fact]
    public async Task Swagger_UI_renders_the_operations_under_its_policy()
    {
        var (page, problems, context) = await OpenAsync("docs/index.html");
        await using var _ = context;
        await Expect(page.GetByText("OpenData API").First).ToBeVisibleAsync();
        await Expect(page.Locator(".opblock").First).ToBeVisibleAsync();
        await AssertCleanAsync(page, problems);
    }

    [Fact]
    public async Task The_sign_in_page_shows_its_form_under_its_policy()
    {
        var (page, problems, context) = await OpenAsync("account/signin");
        await using var _ = context;
        await Expect(page.GetByLabel("E-mail")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await AssertCleanAsync(page, problems);
    }

    [Fact]
    public async Task Signing_in_lands_on_the_home_page_which_names_the_person_under_its_policy()
    {
        var (page, problems, context) = await OpenAsync("account/signin");
        await using var _ = context;
        await page.GetByLabel("E-mail").FillAsync("developer@demo.opendata.local");
        await page.GetByLabel("Password").FillAsync("demo-password-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The portal's home page, whose header says who is signed in.
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("演示开发者");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "API 参考" }).First).ToBeVisibleAsync();
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        await AssertCleanAsync(page, problems);
    }
}
