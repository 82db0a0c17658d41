using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The synthetic twin's report in the owner's console: the owner (and an operator) see its state, rows real and twin and the
/// report; a consumer and another owner do not; a withheld twin's failed checks are said in words, with the report's tables.
/// </summary>
public sealed class TwinReportPageTests
{
    private const string Owner = "ningbo-12345-hotline";
    private const string Hotline = "hotline-12345-requests";
    private const string Page = "/console/datasets/" + Hotline + "/twin";

    [DatabaseTheory, OnEachDatabase]
    public async Task The_owner_sees_the_ready_twins_report_and_a_consumer_or_another_owner_does_not(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var owner = await ConsolePeople.SignInAsync(host, Owner, "developer", "twin-owner@example.test");
        var html = await WhenReadyAsync(owner);
        Assert.Contains("data-twin-state=\"ready\"", html, StringComparison.Ordinal);
        Assert.Contains("data-served=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("data-report-passed=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("data-all-passed", html, StringComparison.Ordinal);
        var realRows = long.Parse(Regex.Match(html, "data-real-rows=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var twinRows = long.Parse(Regex.Match(html, "data-twin-rows=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var api = await PlatformHost.ReadJsonAsync(await host.As(Owner, "catalogue:read").GetAsync($"/v1/datasets/{Hotline}"));
        Assert.Equal(api["rowCount"]!.GetValue<long>(), realRows);
        Assert.True(twinRows > 0, "the twin has no rows");

        // The owner finds it from its datasets and from the dataset's page.
        Assert.Contains($"href=\"/console/datasets/{Hotline}/twin\" data-twin-link", await owner.GetStringAsync("/console/datasets"), StringComparison.Ordinal);
        Assert.Contains("data-twin-report-link", await owner.GetStringAsync($"/datasets/{Hotline}"), StringComparison.Ordinal);

        // An operator sees it too.
        using var op = await ConsolePeople.OperatorAsync(host, "twin-operator@example.test");
        var seen = await op.GetAsync(Page);
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        Assert.Contains("data-twin-status=\"ready\"", await seen.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A consumer: 403 on the page and no link on the dataset's page; another owner: 404.
        using var consumer = OAuthFlows.Browser(host);
        await ConsoleTests.SignUpAsync(consumer, "读者公司", "钱七", "qian@example.test");
        var refused = await consumer.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Contains("data-refused=\"owners-only\"", refusedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("data-twin-state", refusedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("data-twin-report-link", await consumer.GetStringAsync($"/datasets/{Hotline}"), StringComparison.Ordinal);
        using var other = await ConsolePeople.SignInAsync(host, "ningbo-market-supervision", "admin", "other-owner@example.test");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Page)).StatusCode);
    }

    [Fact]
    public async Task A_withheld_twins_failed_checks_and_report_tables_are_shown_in_words()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var owner = await ConsolePeople.SignInAsync(host, Owner, "admin", "twin-admin@example.test");
        await WhenReadyAsync(owner);
        // The report as the generator writes it, for a twin that failed the distance-to-closest-record check.
        const string report = """
            {"passed":false,"failures":["distance to closest record: twin rows sit closer to real rows than real rows to each other"],
             "warnings":[],"seed":42,"realRows":1200,"twinRows":1200,
             "columns":[{"name":"district","type":"string","tag":null,"kind":"categorical","model":"frequencies","measure":"totalVariation",
               "measuredOn":"values","distance":0.0123,"realNullShare":0,"twinNullShare":0,"categoriesKept":10,"categoriesDroppedAsRare":2,"highCardinality":false}],
             "pairs":[{"first":"district","second":"category","real":0.31,"twin":0.29,"difference":0.02}],
             "privacy":{"passed":false,"overlap":[{"column":"callerMobile","twinValues":1200,"equalToReal":0}],
               "copies":{"twinCopies":0,"twinShare":0,"realShare":0,"margin":0.01,"passed":true},
               "distance":{"measured":true,"referenceRows":500,"holdoutRows":200,"twinRows":200,"realP5":0.4,"twinP5":0.1,"realMedian":0.6,"twinMedian":0.5,"passed":false}}}
            """;
        await using (var connection = await host.OpenStoreAsync())
        {
            var updated = await connection.ExecuteAsync(
                "UPDATE sandbox_twins SET status = 'withheld', table_name = '', report = @report WHERE dataset_id = @dataset", new { report, dataset = Hotline });
            Assert.Equal(1, updated);
        }
        var html = await owner.GetStringAsync(Page);
        Assert.Contains("data-twin-state=\"withheld\"", html, StringComparison.Ordinal);
        Assert.Contains("data-served=\"false\"", html, StringComparison.Ordinal);
        Assert.Contains("绝不会提供给沙箱调用方", html, StringComparison.Ordinal);
        Assert.Contains("<li data-failure>distance to closest record: twin rows sit closer", html, StringComparison.Ordinal);
        Assert.Contains("data-report-table=\"columns\"", html, StringComparison.Ordinal);
        Assert.Contains("data-report-table=\"pairs\"", html, StringComparison.Ordinal);
        Assert.Contains("data-report-table=\"overlap\"", html, StringComparison.Ordinal);
        Assert.Contains("data-privacy-check=\"distance\"", html, StringComparison.Ordinal);
        Assert.Contains("<td data-field=\"distance\">0.012</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-field=\"difference\">0.02</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-field=\"equalToReal\">0</td>", html, StringComparison.Ordinal);
        Assert.Contains("最近记录距离", html, StringComparison.Ordinal);
        Assert.Contains("data-privacy-passed=\"false\"", html, StringComparison.Ordinal);
    }

    /// <summary>The twin page once the twin is ready (it is made in the background after the seed's publish).</summary>
    private static async Task<string> WhenReadyAsync(HttpClient owner)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var response = await owner.GetAsync(Page);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, html);
            if (html.Contains("data-twin-status=\"ready\"", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                Assert.Contains("data-twin-status=\"ready\"", html, StringComparison.Ordinal);
                return html;
            }
            await Task.Delay(500);
        }
    }
}
