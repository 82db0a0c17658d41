using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Portal;

/// <summary>
/// The platform's figures for its operators: requests, rows and 429 answers per day over 30 days (a chart's table), the datasets
/// most rows were read from, and the requests awaiting a decision by age at the owner's and the platform's stage.
/// </summary>
public sealed class FiguresPageTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task A_429_rows_read_and_pending_reviews_show_up_in_todays_figures(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var op = await ConsolePeople.OperatorAsync(host, "figures-op@example.test");
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var before = Day(await op.GetStringAsync("/console/figures"), today);

        // A tenant allowed one request a day asks twice: one answer is 429. It read 7 rows of the villages first.
        await QuotaScenarios.CreateTenantAsync(host, "figures-429", "free", new { dailyRequests = 1 });
        var limited = Consumer(host, "figures-429");
        Assert.Equal(HttpStatusCode.OK, (await limited.GetAsync("/v1/datasets/ningbo-villages/records?limit=7")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await limited.GetAsync("/v1/datasets/ningbo-villages/records?limit=7")).StatusCode);
        // Two requests await a decision: one at the owner's stage, one at the platform's.
        await CreateSensitiveAsync(host);
        var consumer = Consumer(host, "figures-reader");
        await SubmitAsync(consumer, Restricted);
        var l3 = (await SubmitAsync(consumer, Sensitive))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(Reviewer(host, SensitiveOwner), l3, "approve")).StatusCode);

        var page = await op.GetAsync("/console/figures");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("aria-current=\"page\" href=\"/console/figures\"", html, StringComparison.Ordinal);
        var after = Day(html, today);
        Assert.Equal(before.Throttled + 1, after.Throttled);
        Assert.True(after.Requests >= before.Requests + 2, $"{before} → {after}");
        Assert.True(after.Rows >= before.Rows + 7, $"{before} → {after}");
        // Thirty days, the quiet ones too, with a chart drawn from the table.
        Assert.Equal(30, Regex.Count(html, "<tr data-day=\""));
        Assert.Contains("data-chart=\"figures-days-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"figures-days-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-top-dataset=\"ningbo-villages\">", html, StringComparison.Ordinal);

        var fresh = Regex.Match(html, "<tr data-bucket=\"under1\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("data-owner-stage=\"1\"", fresh, StringComparison.Ordinal);
        Assert.Contains("data-platform-stage=\"1\"", fresh, StringComparison.Ordinal);
        Assert.Contains("data-owner-stage=\"0\"", Regex.Match(html, "<tr data-bucket=\"over7\">(.*?)</tr>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
    }

    private sealed record Figures(long Requests, long Rows, long Throttled);

    private static Figures Day(string html, string day)
    {
        var row = Regex.Match(html, $"<tr data-day=\"{day}\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        long Value(string series) => long.Parse(Regex.Match(row, $"data-value=\"([0-9]+)\" data-{series}>").Groups[1].Value, CultureInfo.InvariantCulture);
        return new Figures(Value("requests"), Value("rows"), Value("throttled"));
    }
}
