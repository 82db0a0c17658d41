using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenData.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.GraphQL;

public sealed class ExplorerTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_explorer_loads_the_schema_into_its_docs_without_console_errors_or_CSP_violations()
    {
        await using var explorer = await ExplorerPage.OpenAsync(browser);

        await explorer.AssertSchemaLoadedAsync();
        await Expect(explorer.Schema.Locator("h3", new() { HasTextRegex = new Regex("^Query") })).ToBeVisibleAsync();
        foreach (var field in new[] { "datasets", "dataset", "me" })
        {
            await Expect(explorer.Schema.GetByRole(AriaRole.Button, new() { Name = field, Exact = true })).ToBeVisibleAsync();
        }

        await explorer.Schema.GetByRole(AriaRole.Button, new() { Name = "Dataset", Exact = true }).First.ClickAsync();
        await Expect(explorer.Schema.Locator("h3")).ToHaveTextAsync(new Regex("^Dataset"));
        await Expect(explorer.Schema.Locator("li > span.fname", new() { HasTextRegex = new Regex("^records$") })).ToBeVisibleAsync();

        await explorer.AssertNoProblemsAsync();
    }

    [Fact]
    public async Task The_example_query_runs_and_shows_the_Ningbo_villages()
    {
        await using var explorer = await ExplorerPage.OpenAsync(browser);

        await explorer.RunAsync();

        await Expect(explorer.Status).ToHaveTextAsync(new Regex(@"^200 OK · \d+ ms$"));
        await Expect(explorer.Errors).ToBeEmptyAsync();
        var dataset = (await explorer.ResultJsonAsync())["data"]!["dataset"]!;
        Assert.Equal("宁波市村级行政区划（社区、行政村）", (string?)dataset["title"]);
        var items = dataset["records"]!["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        Assert.All(items, row => Assert.StartsWith("3302", (string?)row!["code"], StringComparison.Ordinal));
        // The docs load in parallel; wait for them so their outcome is in the console too.
        await explorer.AssertSchemaLoadedAsync();
        await explorer.AssertNoProblemsAsync();
    }

    [Fact]
    public async Task A_field_error_shows_its_code()
    {
        await using var explorer = await ExplorerPage.OpenAsync(browser);

        await explorer.RunAsync("""{ dataset(id: "hotline-12345-requests") { records { items } } }""");

        await Expect(explorer.Status).ToHaveTextAsync(new Regex(@"^200 OK · "));
        await Expect(explorer.Errors.Locator("li code")).ToHaveTextAsync("auth.token_required");
        await Expect(explorer.Errors).ToContainTextAsync("path dataset.records");
    }

    [Fact]
    public async Task A_token_got_with_the_demo_consumer_app_makes_me_the_demo_tenant()
    {
        await using var explorer = await ExplorerPage.OpenAsync(browser);
        await Expect(explorer.Page.Locator("#token")).ToHaveValueAsync("");

        await explorer.Page.Locator("#get-token-box > summary").ClickAsync();
        await explorer.Page.Locator("#client-id").FillAsync("demo-consumer-app");
        await explorer.Page.Locator("#client-secret").FillAsync("demo-consumer-secret");
        await explorer.Page.Locator("#get-token").ClickAsync();

        await Expect(explorer.Page.Locator("#token-msg")).ToContainTextAsync("Token received.");
        await Expect(explorer.Page.Locator("#token")).ToHaveValueAsync(new Regex(@"^\S{40,}$"));
        await Expect(explorer.Page.Locator("#client-secret")).ToHaveValueAsync("");

        await explorer.RunAsync("{ me { tenant app } }");

        await Expect(explorer.Status).ToHaveTextAsync(new Regex(@"^200 OK · "));
        await Expect(explorer.Errors).ToBeEmptyAsync();
        var me = (await explorer.ResultJsonAsync())["data"]!["me"]!;
        Assert.Equal("demo-consumer", (string?)me["tenant"]);
        Assert.Equal("demo-consumer-app", (string?)me["app"]);
    }

    [Fact]
    public async Task A_document_that_does_not_parse_shows_400_and_the_syntax_error_code()
    {
        await using var explorer = await ExplorerPage.OpenAsync(browser);

        await explorer.RunAsync("{ datasets { items { id }");

        await Expect(explorer.Status).ToHaveTextAsync(new Regex(@"^400 Bad Request · \d+ ms$"));
        await Expect(explorer.Errors.Locator("li code")).ToHaveTextAsync("graphql.syntax_error");
        Assert.Null((await explorer.ResultJsonAsync())["data"]);
    }
}
