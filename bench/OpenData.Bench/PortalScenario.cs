namespace OpenData.Bench;

/// <summary>
/// Scenario 10 (issue 14): the server time of the portal's pages on the seeded data — the home page, the catalogue (first
/// page, and a search with a facet), and the villages' dataset page (metadata, data dictionary, a 50-row preview through the
/// read path, snippets, versions) — each against <c>GET /healthz</c> in the same run. One worker, so a request never waits
/// for another: a page's latency is its server time plus the loopback's, and /healthz's latency is that overhead.
/// </summary>
internal static class PortalScenario
{
    private static readonly (string Label, string Path)[] Pages =
    [
        ("home", "/"),
        ("catalogue", "/datasets"),
        ("catalogue search + facet", "/datasets?q=%E6%9D%91&theme=administrative-divisions"),
        ("dataset page (ningbo-villages)", "/datasets/ningbo-villages"),
    ];

    /// <summary>The dataset page's target: under 50 ms of server time at the 95th percentile.</summary>
    private const double DatasetPageP95Ms = 50;

    public static async Task RunAsync(BenchContext context, string db, ChildProcess platform, HttpClient client, CancellationToken cancellationToken)
    {
        var options = context.Options with { Workers = 1 };
        BenchRun.Section($"Scenario 10 ({db}): portal pages vs /healthz, one worker (server time + loopback), anonymous, zh-CN");
        foreach (var (label, path) in Pages)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode || !html.Contains("<html lang=\"zh-CN\">", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}, not a Chinese page");
            }
            Console.WriteLine($"checked: {label} ({path}) answers a zh-CN page of {html.Length:N0} characters");
        }
        var healthz = LoadDriver.Get("/healthz");
        foreach (var (label, path) in Pages)
        {
            BenchRun.Section($"Scenario 10 ({db}): {label} vs /healthz");
            var (page, baseline) = await LoadDriver.CompareAsync(client, LoadDriver.Get(path), client, healthz, options, cancellationToken, platform, platform);
            Console.WriteLine($"page    {page.Describe()}");
            Console.WriteLine($"healthz {baseline.Describe()}");
            var p50 = page.Percentile(50) - baseline.Percentile(50);
            var p95 = page.Percentile(95) - baseline.Percentile(95);
            var datasetPage = path.StartsWith("/datasets/", StringComparison.Ordinal);
            context.Report.Add(new ScenarioResult(db, $"portal: {label} ({path}) vs GET /healthz, one worker",
                $"{page.RequestsPerSecond:F0} req/s", $"{baseline.RequestsPerSecond:F0} req/s", page.RequestsPerSecond / baseline.RequestsPerSecond,
                datasetPage ? $"server time p95 < {DatasetPageP95Ms} ms" : "info", datasetPage ? p95 < DatasetPageP95Ms : null,
                $"latency p50 {page.Percentile(50):F1} ms, p95 {page.Percentile(95):F1} ms vs /healthz p50 {baseline.Percentile(50):F2} ms, p95 " +
                $"{baseline.Percentile(95):F2} ms: server time ≈ p50 {p50:F1} ms, p95 {p95:F1} ms; server CPU {page.CpuMsPerRequest:F2} vs " +
                $"{baseline.CpuMsPerRequest:F3} ms a request; {page.Bytes / Math.Max(1, page.Requests):N0} bytes a page; quota admission off as in every " +
                "scenario but 7 (the dataset page is metered like the records API)"));
        }
    }
}
