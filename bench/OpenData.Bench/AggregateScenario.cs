using System.Text.Json;

namespace OpenData.Bench;

/// <summary>
/// Scenario 12 (issue 18): an aggregate over the 620,573 villages grouped by province and city through the platform (the read
/// path's planning, the GROUP BY, the quota and the JSON of 342 groups) against the same GROUP BY behind a bare Dapper route,
/// in the same run. Both answers are checked to hold the same groups and counts first.
/// </summary>
internal static class AggregateScenario
{
    private const string PlatformPath = $"/v1/datasets/{BenchRun.DatasetId}/aggregate?group_by=provinceCode,cityCode&measures=count";
    private const string BarePath = "/bare/aggregate";

    public static async Task RunAsync(BenchContext context, string db, ChildProcess platform, HttpClient platformClient, ChildProcess bare, HttpClient bareClient,
        CancellationToken cancellationToken)
    {
        BenchRun.Section($"Scenario 12 ({db}): aggregate by province and city vs the same GROUP BY behind a bare route");
        var platformGroups = await GroupsAsync(platformClient, PlatformPath, "provinceCode", "cityCode", cancellationToken);
        var bareGroups = await GroupsAsync(bareClient, BarePath, "provinceCode", "cityCode", cancellationToken);
        if (platformGroups.Count == 0 || !platformGroups.SequenceEqual(bareGroups) || platformGroups.Sum(g => g.Count) != context.VillageRows)
        {
            throw new InvalidOperationException(
                $"the platform's aggregate and the bare GROUP BY disagree ({platformGroups.Count} vs {bareGroups.Count} groups, {platformGroups.Sum(g => g.Count):N0} rows counted)");
        }
        Console.WriteLine($"checked: {platformGroups.Count} groups on both sides, counting {context.VillageRows:N0} villages");
        var (full, baseline) = await LoadDriver.CompareAsync(platformClient, PlatformPath, bareClient, BarePath, context.Options, cancellationToken, platform, bare);
        Console.WriteLine($"platform {full.Describe()}");
        Console.WriteLine($"bare     {baseline.Describe()}");
        var ratio = full.RequestsPerSecond / baseline.RequestsPerSecond;
        context.Report.Add(new ScenarioResult(db, "aggregate of the villages by province and city vs the same GROUP BY behind bare Dapper",
            $"{full.RequestsPerSecond:F1} req/s", $"{baseline.RequestsPerSecond:F1} req/s", ratio, "≥ 0.7×", ratio >= 0.7,
            $"p50 {full.Percentile(50):F1} ms vs {baseline.Percentile(50):F1} ms; {platformGroups.Count} groups an answer; "
            + "both scan every row of the version's table; the platform adds its planning, the quota and its JSON"));
    }

    private sealed record Group(string? Province, string? City, long Count);

    private static async Task<List<Group>> GroupsAsync(HttpClient client, string path, string province, string city, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
        }
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("groups").EnumerateArray()
            .Select(g => new Group(g.GetProperty(province).GetString(), g.GetProperty(city).GetString(), g.GetProperty("count").GetInt64()))
            .ToList();
    }
}
