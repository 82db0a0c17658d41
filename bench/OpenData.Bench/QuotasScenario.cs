using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;

namespace OpenData.Bench;

/// <summary>
/// Scenario 7 (issue 5): the cost of quota admission and usage metering on the read path. Two platform hosts are started alike
/// except for <c>OpenData__Quotas__Enabled</c>, both on a policies folder of the bench's own whose <c>plans.yaml</c> gives every
/// plan numeric limits no run reaches: admission runs in full (plan, token bucket, daily requests and rows leased in blocks from
/// <c>quota_leases</c>, RateLimit headers, counted body, usage flushed to <c>usage_daily</c>) and refuses nothing. The same anonymous
/// page of records, no filter, limit 100, is loaded on each host in alternating rounds.
/// </summary>
internal static class QuotasScenario
{
    public const int PageSize = 100;

    /// <summary>The seeded dataset <c>--only quotas</c> reads (3,042 rows, the villages' six columns): no villages file needed.</summary>
    public const string SeededDataset = "ningbo-villages";

    // Numbers, not `unlimited` (which would skip the checks), far above what a run sends: ≈ 4,000 pages a second for about a minute.
    private const long RatePerSecond = 1_000_000;
    private const long Burst = 1_000_000;
    private const long DailyRequests = 1_000_000_000;
    private const long DailyRows = 2_000_000_000;
    private const long ExportRows = 2_000_000_000;

    /// <summary>The lease block of the diagnostic host: many pages' rows per lease (the default, 100, is one page's).</summary>
    private const int DiagnosticLeaseBlock = 1_000_000;

    public static async Task RunAsync(BenchContext context, string db, IReadOnlyDictionary<string, string?> env, string datasetId,
        Func<CancellationToken, Task<DbConnection>> open, Func<TimeSpan>? databaseCpu, CancellationToken cancellationToken)
    {
        var options = context.Options;
        BenchRun.Section($"Scenario 7 ({db}): quotas — records, no filter ({datasetId}), limit {PageSize}, anonymous: a host with admission and metering vs a host without");
        var policies = WritePolicies(context);
        Console.WriteLine($"policies folder {policies}: the shipped classification.yaml and desensitisation.yaml, and a plans.yaml giving every plan " +
            $"ratePerSecond {RatePerSecond:N0}, burst {Burst:N0}, dailyRequests {DailyRequests:N0}, dailyRows {DailyRows:N0}, exportRows {ExportRows:N0}");

        var onPort = ChildProcess.FreePort();
        await using var on = StartHost(context, db, env, policies, enabled: true, onPort);
        using var onClient = LoadDriver.Client(new Uri($"http://127.0.0.1:{onPort}"), options.Workers);
        await on.WaitUntilReadyAsync(onClient, $"http://127.0.0.1:{onPort}/readyz", TimeSpan.FromSeconds(60), cancellationToken);
        // One after the other: both hosts migrate and seed the same store at start.
        var offPort = ChildProcess.FreePort();
        while (offPort == onPort)
        {
            offPort = ChildProcess.FreePort();
        }
        await using var off = StartHost(context, db, env, policies, enabled: false, offPort);
        using var offClient = LoadDriver.Client(new Uri($"http://127.0.0.1:{offPort}"), options.Workers);
        await off.WaitUntilReadyAsync(offClient, $"http://127.0.0.1:{offPort}/readyz", TimeSpan.FromSeconds(60), cancellationToken);
        Console.WriteLine($"quotas on: host pid {on.Id} on :{onPort}; quotas off: host pid {off.Id} on :{offPort}");

        var path = $"/v1/datasets/{datasetId}/records?limit={PageSize}";
        var page = LoadDriver.Get(path);
        var (onCodes, firstHeaders) = await CheckPageAsync(onClient, path, "quotas on", metered: true, cancellationToken);
        var (offCodes, _) = await CheckPageAsync(offClient, path, "quotas off", metered: false, cancellationToken);
        if (onCodes.Count != PageSize || !onCodes.SequenceEqual(offCodes))
        {
            throw new InvalidOperationException($"the two hosts disagree on the page ({onCodes.Count} vs {offCodes.Count} rows)");
        }
        Console.WriteLine($"checked: both hosts answer 200 with the same {PageSize} rows; quotas on answers {firstHeaders}; quotas off sends no RateLimit headers");

        // The quotas-on host runs code the other never runs (admission, leases, the counting body): settle both before measuring.
        var settled = await LoadDriver.SettleAsync(onClient, page, on, options.Workers, "quotas-on", cancellationToken)
            + await LoadDriver.SettleAsync(offClient, page, off, options.Workers, "quotas-off", cancellationToken);
        var (metered, plain) = await LoadDriver.CompareAsync(onClient, page, offClient, page, options, cancellationToken, on, off, databaseCpu);
        Console.WriteLine($"quotas on  {metered.Describe()}");
        Console.WriteLine($"quotas off {plain.Describe()}");
        var (_, lastHeaders) = await CheckPageAsync(onClient, path, "quotas on", metered: true, cancellationToken);
        await CheckPageAsync(offClient, path, "quotas off", metered: false, cancellationToken);

        // A graceful stop flushes the last usage counts and hands unused lease blocks back: then the store holds the whole run.
        await on.StopAsync();
        var usage = await UsageAsync(open, datasetId, cancellationToken);
        if (usage.Requests < metered.Requests || usage.Throttled != 0 || usage.Errors != 0)
        {
            throw new InvalidOperationException($"usage_daily for anonymous on {datasetId}: {usage.Requests} requests ({usage.Errors} 4xx, {usage.Throttled} 429) " +
                $"after {metered.Requests} measured requests on the quotas-on host");
        }
        Console.WriteLine($"usage_daily, anonymous on {datasetId}, after the quotas-on host stopped: {usage.Requests:N0} requests, {usage.Rows:N0} rows, " +
            $"{usage.Bytes:N0} bytes, no 4xx, no 429; quota_leases: {usage.LeasedRequests:N0} requests and {usage.LeasedRows:N0} rows leased at the end");

        // Diagnostic: the same admission with lease blocks far larger than a page. With the default block (MaxLeaseBlock 100, one
        // page's rows) every page leases its rows from quota_leases, one at a time per partition; this row shows what that costs.
        BenchRun.Section($"Diagnostic ({db}): quotas on with OpenData__Quotas__MaxLeaseBlock={DiagnosticLeaseBlock:N0} vs quotas off");
        var bigPort = ChildProcess.FreePort();
        while (bigPort == offPort)
        {
            bigPort = ChildProcess.FreePort();
        }
        await using var big = StartHost(context, db, env, policies, enabled: true, bigPort,
            new Dictionary<string, string?> { ["OpenData__Quotas__MaxLeaseBlock"] = DiagnosticLeaseBlock.ToString(CultureInfo.InvariantCulture) });
        using var bigClient = LoadDriver.Client(new Uri($"http://127.0.0.1:{bigPort}"), options.Workers);
        await big.WaitUntilReadyAsync(bigClient, $"http://127.0.0.1:{bigPort}/readyz", TimeSpan.FromSeconds(60), cancellationToken);
        await CheckPageAsync(bigClient, path, "quotas on, large lease blocks", metered: true, cancellationToken);
        var bigSettled = await LoadDriver.SettleAsync(bigClient, page, big, options.Workers, "quotas-on, large lease blocks", cancellationToken);
        var (bigBlocks, plainAgain) = await LoadDriver.CompareAsync(bigClient, page, offClient, page, options, cancellationToken, big, off, databaseCpu);
        await CheckPageAsync(bigClient, path, "quotas on, large lease blocks", metered: true, cancellationToken);
        Console.WriteLine($"large blocks {bigBlocks.Describe()}");
        Console.WriteLine($"quotas off   {plainAgain.Describe()}");

        var ratio = metered.RequestsPerSecond / plain.RequestsPerSecond;
        context.Report.Add(new ScenarioResult(db, $"records, no filter ({datasetId}), quota admission + metering vs quotas off",
            $"{metered.RequestsPerSecond:F0} req/s", $"{plain.RequestsPerSecond:F0} req/s", ratio, "≥ 0.95×", ratio >= 0.95,
            $"anonymous (partition ip:127.0.0.1), limit {PageSize}; p50 {metered.Percentile(50):F1} ms vs {plain.Percentile(50):F1} ms, " +
            $"p99 {metered.Percentile(99):F1} ms vs {plain.Percentile(99):F1} ms; " +
            $"server CPU {metered.CpuMsPerRequest:F3} vs {plain.CpuMsPerRequest:F3} ms a request (+{metered.CpuMsPerRequest - plain.CpuMsPerRequest:F3} ms)" +
            (databaseCpu is null
                ? " (SQLite runs in the host); "
                : $", PostgreSQL backends of the bench database {metered.DatabaseCpuMsPerRequest:F3} vs {plain.DatabaseCpuMsPerRequest:F3} ms " +
                  $"(+{metered.DatabaseCpuMsPerRequest - plain.DatabaseCpuMsPerRequest:F3} ms); ") +
            $"{metered.Bytes / Math.Max(1, metered.Requests):N0} vs {plain.Bytes / Math.Max(1, plain.Requests):N0} bytes a response; " +
            $"two hosts started alike except OpenData__Quotas__Enabled, both on a policies folder of the bench's own whose plans.yaml gives every plan " +
            $"ratePerSecond/burst {RatePerSecond:N0}, dailyRequests {DailyRequests:N0}, dailyRows {DailyRows:N0} (numbers, so every check runs; none refuses); " +
            $"every measured answer 200, RateLimit-Policy and RateLimit on every checked answer of the quotas-on host (last: {lastHeaders}) and on none of the other's; " +
            $"usage_daily after the quotas-on host's graceful stop: {usage.Requests:N0} requests, {usage.Rows / Math.Max(1, usage.Requests):N0} rows and " +
            $"{usage.Bytes / Math.Max(1, usage.Requests):N0} bytes a request, no 4xx or 429; quota_leases {usage.LeasedRequests:N0} requests, {usage.LeasedRows:N0} rows; " +
            $"each host settled first until its CPU a request stopped falling ({settled.TotalSeconds:F0} s in all)"));
        context.Report.Add(new ScenarioResult(db, $"diagnostic: the same, quotas on with MaxLeaseBlock {DiagnosticLeaseBlock:N0} (not a page's rows) vs quotas off",
            $"{bigBlocks.RequestsPerSecond:F0} req/s", $"{plainAgain.RequestsPerSecond:F0} req/s", bigBlocks.RequestsPerSecond / plainAgain.RequestsPerSecond, "info", null,
            $"a third host, started like the quotas-on host plus OpenData__Quotas__MaxLeaseBlock={DiagnosticLeaseBlock}: the rows of many pages per lease instead of one page's; " +
            $"server CPU {bigBlocks.CpuMsPerRequest:F3} vs {plainAgain.CpuMsPerRequest:F3} ms a request" +
            (databaseCpu is null ? "" : $", PostgreSQL {bigBlocks.DatabaseCpuMsPerRequest:F3} vs {plainAgain.DatabaseCpuMsPerRequest:F3} ms") +
            $"; p50 {bigBlocks.Percentile(50):F1} vs {plainAgain.Percentile(50):F1} ms; settled {bigSettled.TotalSeconds:F0} s first"));
    }

    /// <summary>A policies folder for this run: the shipped classification and desensitisation files, and plans nothing reaches.</summary>
    internal static string WritePolicies(BenchContext context)
    {
        var folder = Path.Combine(context.WorkDirectory, "quota-policies");
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { "classification.yaml", "desensitisation.yaml" })
        {
            File.Copy(Path.Combine(context.ApiDirectory, "policies", file), Path.Combine(folder, file), overwrite: true);
        }
        var plans = new System.Text.StringBuilder("# Written by the bench (scenario 7): limits no run reaches, as numbers so that admission runs every check.\nplans:\n");
        foreach (var plan in new[] { "anonymous", "free", "contest", "partner", "operator" })
        {
            plans.Append(CultureInfo.InvariantCulture,
                $"  {plan}:\n    ratePerSecond: {RatePerSecond}\n    burst: {Burst}\n    dailyRequests: {DailyRequests}\n    dailyRows: {DailyRows}\n    exportRows: {ExportRows}\n");
        }
        File.WriteAllText(Path.Combine(folder, "plans.yaml"), plans.ToString());
        return folder;
    }

    private static ChildProcess StartHost(BenchContext context, string db, IReadOnlyDictionary<string, string?> env, string policies, bool enabled, int port,
        IReadOnlyDictionary<string, string?>? extra = null)
    {
        var hostEnv = new Dictionary<string, string?>(env)
        {
            ["OpenData__Quotas__Enabled"] = enabled ? "true" : "false",
            ["OpenData__Policies__Directory"] = policies,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            hostEnv[key] = value;
        }
        var name = (enabled ? "quotas-on" : "quotas-off") + (extra is null ? "" : "-diagnostic");
        return ChildProcess.Start($"{name} host", context.Dotnet, [context.ApiDll, "--urls", $"http://127.0.0.1:{port}"], hostEnv, context.ApiDirectory,
            Path.Combine(context.WorkDirectory, $"{name}-{db}.log"));
    }

    /// <summary>One page: it must answer 200, and carry both RateLimit headers exactly when the host meters; returns its codes and the headers.</summary>
    private static async Task<(List<string> Codes, string Headers)> CheckPageAsync(HttpClient client, string path, string host, bool metered, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} on the {host} host answered {(int)response.StatusCode}: {body}");
        }
        var policy = response.Headers.TryGetValues("RateLimit-Policy", out var p) ? string.Join(", ", p) : null;
        var state = response.Headers.TryGetValues("RateLimit", out var s) ? string.Join(", ", s) : null;
        if (metered && (policy is null || state is null))
        {
            throw new InvalidOperationException($"GET {path} on the {host} host has no RateLimit-Policy / RateLimit headers");
        }
        if (!metered && (policy is not null || state is not null))
        {
            throw new InvalidOperationException($"GET {path} on the {host} host sends RateLimit headers ({policy}; {state}); admission should be off");
        }
        using var document = JsonDocument.Parse(body);
        var codes = document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString() ?? "").ToList();
        return (codes, metered ? $"RateLimit-Policy: {policy} / RateLimit: {state}" : "");
    }

    private sealed record Usage(long Requests, long Rows, long Bytes, long Errors, long Throttled, long LeasedRequests, long LeasedRows);

    private static async Task<Usage> UsageAsync(Func<CancellationToken, Task<DbConnection>> open, string datasetId, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        var totals = await connection.QuerySingleAsync<(long, long, long, long, long)>(new CommandDefinition(
            """
            SELECT CAST(COALESCE(SUM(requests), 0) AS bigint), CAST(COALESCE(SUM(rows_read), 0) AS bigint), CAST(COALESCE(SUM(bytes_sent), 0) AS bigint),
                   CAST(COALESCE(SUM(errors), 0) AS bigint), CAST(COALESCE(SUM(throttled), 0) AS bigint)
            FROM usage_daily WHERE tenant_id = 'anonymous' AND dataset_id = @datasetId
            """, new { datasetId }, cancellationToken: cancellationToken));
        var leased = (await connection.QueryAsync<(string, long)>(new CommandDefinition(
            "SELECT metric, CAST(COALESCE(SUM(leased), 0) AS bigint) FROM quota_leases GROUP BY metric", cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Item1, r => r.Item2);
        return new Usage(totals.Item1, totals.Item2, totals.Item3, totals.Item4, totals.Item5,
            leased.GetValueOrDefault("requests"), leased.GetValueOrDefault("rows"));
    }
}
