using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenData.BrowserTests.Infrastructure;

namespace OpenData.BrowserTests.GraphQL;

/// <summary>The GraphQL explorer (<c>GET /graphql</c> from a browser) open in its own browser context, with what it logged.</summary>
public sealed class ExplorerPage : IAsyncDisposable
{
    // Runs before the page's own script; CSP does not apply to scripts the browser is told to add.
    private const string WatchCsp = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
          e => window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
        """;

    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    private ExplorerPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_problems)
                {
                    _problems.Add($"console error: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_problems)
            {
                _problems.Add($"uncaught: {error}");
            }
        };
    }

    public IPage Page { get; }

    public ILocator Status => Page.Locator("#status");

    public ILocator Errors => Page.Locator("#errors");

    public ILocator Result => Page.Locator("#result");

    public ILocator Schema => Page.Locator("#schema");

    public ILocator SchemaStatus => Page.Locator("#schema-status");

    public static async Task<ExplorerPage> OpenAsync(BrowserFixture browser)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var context = await browser.NewContextAsync();
        await context.AddInitScriptAsync(WatchCsp);
        var explorer = new ExplorerPage(context, await context.NewPageAsync());
        var response = await explorer.Page.GotoAsync("graphql");
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/html", await response.HeaderValueAsync("content-type"), StringComparison.Ordinal);
        return explorer;
    }

    /// <summary>Puts <paramref name="query"/> in the editor (the pre-filled example when null), clicks Run and waits for the answer.</summary>
    public async Task RunAsync(string? query = null)
    {
        if (query is not null)
        {
            await Page.Locator("#query").FillAsync(query);
        }
        await Page.Locator("#run").ClickAsync();
        // "Running…" until the answer is in; then "<status> <reason> · <n> ms", with errors and result set in the same task.
        await Assertions.Expect(Status).ToHaveTextAsync(new Regex(@"^\d{3} .* · \d+ ms$"));
    }

    /// <summary>Waits until the docs' schema request has ended and fails unless it loaded, with the page's reason.</summary>
    public async Task AssertSchemaLoadedAsync()
    {
        await Assertions.Expect(SchemaStatus).Not.ToHaveTextAsync(new Regex("^(not loaded|loading…)$"));
        var outcome = await SchemaStatus.TextContentAsync();
        Assert.True(outcome == "loaded", $"#schema-status: {outcome}");
    }

    /// <summary>The result pane as JSON.</summary>
    public async Task<JsonNode> ResultJsonAsync() =>
        JsonNode.Parse(await Result.TextContentAsync() ?? "") ?? throw new InvalidOperationException("#result is empty");

    /// <summary>Console errors, uncaught exceptions and CSP violations seen so far, one a line; empty when there were none.</summary>
    public async Task<string> ProblemsAsync()
    {
        var violations = await Page.EvaluateAsync<string[]>("() => window.__cspViolations");
        lock (_problems)
        {
            return string.Join("\n", _problems.Concat(violations.Select(v => "CSP violation: " + v)));
        }
    }

    /// <summary>Fails, listing them, when the page logged a console error, threw or violated its CSP.</summary>
    public async Task AssertNoProblemsAsync()
    {
        var problems = await ProblemsAsync();
        Assert.True(problems.Length == 0, problems);
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
