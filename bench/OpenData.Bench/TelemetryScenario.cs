using System.Net;

namespace OpenData.Bench;

/// <summary>
/// Scenario 14 (issue 23): the cost of monitoring on the read path. Two platform hosts are started alike except for
/// <c>OpenData__Metrics__Enabled</c>: the "on" host records every instrument (the platform's, ASP.NET Core's, HttpClient's, the
/// runtime's, Npgsql's), records the read path's spans (<c>OpenData__Metrics__Tracing=true</c>, at the default <c>TraceSampleRatio</c> of
/// 0.1, no exporter) and is
/// scraped at <c>/metrics</c> once a second by the bench during the measurement, as Prometheus would; the "off" host measures
/// nothing. The same anonymous page of records, no filter, limit 100, is loaded on each host in alternating rounds.
/// </summary>
internal static class TelemetryScenario
{
    public const int PageSize = 100;

    public static async Task RunAsync(BenchContext context, string db, IReadOnlyDictionary<string, string?> env, string datasetId, Func<TimeSpan>? databaseCpu,
        CancellationToken cancellationToken)
    {
        var options = context.Options;
        BenchRun.Section($"Scenario 14 ({db}): monitoring — records, no filter ({datasetId}), limit {PageSize}, anonymous: metrics + tracing + a scrape a second vs monitoring off");
        var onPort = ChildProcess.FreePort();
        await using var on = StartHost(context, db, env, enabled: true, onPort);
        using var onClient = LoadDriver.Client(new Uri($"http://127.0.0.1:{onPort}"), options.Workers);
        await on.WaitUntilReadyAsync(onClient, $"http://127.0.0.1:{onPort}/readyz", TimeSpan.FromSeconds(60), cancellationToken);
        var offPort = ChildProcess.FreePort();
        while (offPort == onPort)
        {
            offPort = ChildProcess.FreePort();
        }
        await using var off = StartHost(context, db, env, enabled: false, offPort);
        using var offClient = LoadDriver.Client(new Uri($"http://127.0.0.1:{offPort}"), options.Workers);
        await off.WaitUntilReadyAsync(offClient, $"http://127.0.0.1:{offPort}/readyz", TimeSpan.FromSeconds(60), cancellationToken);
        Console.WriteLine($"monitoring on: host pid {on.Id} on :{onPort}; monitoring off: host pid {off.Id} on :{offPort}");

        var path = $"/v1/datasets/{datasetId}/records?limit={PageSize}";
        var page = LoadDriver.Get(path);
        foreach (var (client, label) in new[] { (onClient, "on"), (offClient, "off") })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} on the monitoring-{label} host answered {(int)response.StatusCode}");
            }
        }
        var before = await ScrapeAsync(onClient, cancellationToken);
        if (!before.Contains("opendata_requests_total", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the monitoring-on host's /metrics has no opendata_requests_total");
        }
        using (var offMetrics = await offClient.GetAsync(new Uri("/metrics", UriKind.Relative), cancellationToken))
        {
            if (offMetrics.StatusCode != HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException($"/metrics on the monitoring-off host answered {(int)offMetrics.StatusCode}, not 404");
            }
        }
        Console.WriteLine($"checked: both hosts answer the page; /metrics on the on host ({before.Length:N0} bytes), 404 on the off host");

        var settled = await LoadDriver.SettleAsync(onClient, page, on, options.Workers, "monitoring-on", cancellationToken)
            + await LoadDriver.SettleAsync(offClient, page, off, options.Workers, "monitoring-off", cancellationToken);
        // Prometheus' part: a scrape a second of the on host for as long as the comparison runs.
        using var scraping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scrapes = 0;
        var scraper = Task.Run(async () =>
        {
            using var scrapeClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{onPort}") };
            while (!scraping.IsCancellationRequested)
            {
                try
                {
                    await ScrapeAsync(scrapeClient, scraping.Token);
                    scrapes++;
                    await Task.Delay(1000, scraping.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }, CancellationToken.None);
        var (measured, plain) = await LoadDriver.CompareAsync(onClient, page, offClient, page, options, cancellationToken, on, off, databaseCpu);
        await scraping.CancelAsync();
        await scraper;
        Console.WriteLine($"monitoring on  {measured.Describe()}");
        Console.WriteLine($"monitoring off {plain.Describe()}");
        var after = await ScrapeAsync(onClient, cancellationToken);
        var counted = RecordsRequests(after);
        if (counted < measured.Requests)
        {
            throw new InvalidOperationException($"the on host counted {counted} records requests; the bench sent {measured.Requests} measured ones");
        }
        Console.WriteLine($"the on host's opendata_requests_total for records pages: {counted:N0} (≥ {measured.Requests:N0} measured); {scrapes} scrapes during the run");

        // Diagnostic: the same with tracing off (metrics only, still scraped), against the same off host: how the cost splits.
        BenchRun.Section($"Diagnostic ({db}): metrics only (tracing off) vs monitoring off");
        var metricsPort = ChildProcess.FreePort();
        while (metricsPort == onPort || metricsPort == offPort)
        {
            metricsPort = ChildProcess.FreePort();
        }
        await using var metricsOnly = StartHost(context, db, env, enabled: true, metricsPort, tracing: false);
        using var metricsClient = LoadDriver.Client(new Uri($"http://127.0.0.1:{metricsPort}"), options.Workers);
        await metricsOnly.WaitUntilReadyAsync(metricsClient, $"http://127.0.0.1:{metricsPort}/readyz", TimeSpan.FromSeconds(60), cancellationToken);
        await LoadDriver.SettleAsync(metricsClient, page, metricsOnly, options.Workers, "metrics-only", cancellationToken);
        var (metricsAlone, plainAgain) = await LoadDriver.CompareAsync(metricsClient, page, offClient, page, options, cancellationToken, metricsOnly, off, databaseCpu);
        Console.WriteLine($"metrics only   {metricsAlone.Describe()}");
        Console.WriteLine($"monitoring off {plainAgain.Describe()}");
        context.Report.Add(new ScenarioResult(db, "diagnostic: the same, metrics only (tracing off) vs monitoring off",
            $"{metricsAlone.RequestsPerSecond:F0} req/s", $"{plainAgain.RequestsPerSecond:F0} req/s", metricsAlone.RequestsPerSecond / plainAgain.RequestsPerSecond, "info", null,
            $"a third host with OpenData__Metrics__Tracing=false; server CPU {metricsAlone.CpuMsPerRequest:F3} vs {plainAgain.CpuMsPerRequest:F3} ms a request"));

        var ratio = measured.RequestsPerSecond / plain.RequestsPerSecond;
        context.Report.Add(new ScenarioResult(db, $"records, no filter ({datasetId}), metrics + tracing on (scraped every second) vs monitoring off",
            $"{measured.RequestsPerSecond:F0} req/s", $"{plain.RequestsPerSecond:F0} req/s", ratio, "≥ 0.95×", ratio >= 0.95,
            $"anonymous, limit {PageSize}; p50 {measured.Percentile(50):F1} ms vs {plain.Percentile(50):F1} ms, p99 {measured.Percentile(99):F1} ms vs {plain.Percentile(99):F1} ms; " +
            $"server CPU {measured.CpuMsPerRequest:F3} vs {plain.CpuMsPerRequest:F3} ms a request (+{measured.CpuMsPerRequest - plain.CpuMsPerRequest:F3} ms)" +
            (databaseCpu is null ? "" : $", PostgreSQL {measured.DatabaseCpuMsPerRequest:F3} vs {plain.DatabaseCpuMsPerRequest:F3} ms") +
            $"; two hosts alike except OpenData__Metrics__Enabled (on: OpenData__Metrics__Tracing=true at the default sample ratio 0.1, no exporter); " +
            $"{scrapes} scrapes of /metrics ({after.Length:N0} bytes at the end) during the run; each host settled first ({settled.TotalSeconds:F0} s)"));
    }

    private static async Task<string> ScrapeAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"/metrics answered {(int)response.StatusCode}: {text}");
        }
        return text;
    }

    /// <summary>The sum of <c>opendata_requests_total</c> over the records page's route.</summary>
    private static long RecordsRequests(string exposition) =>
        (long)exposition.Split('\n')
            .Where(l => l.StartsWith("opendata_requests_total{", StringComparison.Ordinal) && l.Contains("route=\"/v1/datasets/{id}/records\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    private static ChildProcess StartHost(BenchContext context, string db, IReadOnlyDictionary<string, string?> env, bool enabled, int port, bool tracing = true)
    {
        var hostEnv = new Dictionary<string, string?>(env)
        {
            ["OpenData__Metrics__Enabled"] = enabled ? "true" : "false",
            ["OpenData__Metrics__Tracing"] = enabled && tracing ? "true" : "false",
        };
        var name = !enabled ? "monitoring-off" : tracing ? "monitoring-on" : "metrics-only";
        return ChildProcess.Start($"{name} host", context.Dotnet, [context.ApiDll, "--urls", $"http://127.0.0.1:{port}"], hostEnv, context.ApiDirectory,
            Path.Combine(context.WorkDirectory, $"{name}-{db}.log"));
    }
}
