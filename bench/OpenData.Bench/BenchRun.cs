using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace OpenData.Bench;

/// <summary>The whole run: set up each database, load the villages, start the servers, run the scenarios, tear down, report.</summary>
internal static class BenchRun
{
    public const string DatasetId = "villages";
    private const int PageSize = 100;

    internal static readonly string[] ColumnNames = ["code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"];

    /// <summary>Filtered pages compared with the bare endpoint: (label, where, physical column, value); null where = no filter.</summary>
    private static readonly (string Label, string? Where, string? Column, string? Value)[] RecordQueries =
    [
        ("records where provinceCode = '11'", "provinceCode = '11'", "c3", "11"),
        ("records where provinceCode = '33'", "provinceCode = '33'", "c3", "33"),
        ("records where areaCode = '330203'", "areaCode = '330203'", "c5", "330203"),
        ("records, no filter", null, null, null),
    ];

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var root = RepoRoot();
        var villages = Path.GetFullPath(options.Villages
            ?? Environment.GetEnvironmentVariable("OPENDATA_BENCH_VILLAGES")
            ?? Path.Combine(root, "..", "shared", "data", "divisions", "villages.csv"));
        if (options.Only is null or BenchOptions.Twins or BenchOptions.Aggregates or BenchOptions.Indexes or BenchOptions.Scale or BenchOptions.Embedded && !File.Exists(villages))
        {
            Console.Error.WriteLine($"no villages file at {villages}: pass --villages PATH or set OPENDATA_BENCH_VILLAGES");
            return 2;
        }
        var work = Path.Combine(Path.GetTempPath(), "opendata-bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        Directory.CreateDirectory(work);
        var report = new BenchReport { Options = options };
        var context = new BenchContext(options, root, villages, work, report);
        Console.WriteLine($"OpenData bench: {report.Machine()}");
        Console.WriteLine($"settings: {report.Settings()}");
        Console.WriteLine($"work folder (server logs): {work}");
        var failed = false;
        try
        {
            await context.EnsureBuiltAsync(cancellationToken);
            if (options.Only is null or BenchOptions.Twins or BenchOptions.Aggregates or BenchOptions.Indexes or BenchOptions.Scale or BenchOptions.Embedded)
            {
                context.VillageRows = CountRows(villages);
                Console.WriteLine($"{villages}: {context.VillageRows:N0} rows (now in the page cache)");
            }
            if (options.Only != BenchOptions.Embedded)
            {
                await RunPostgresAsync(context, cancellationToken);
            }
            if (options.Sqlite)
            {
                await RunSqliteAsync(context, cancellationToken);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException or JsonException or Npgsql.NpgsqlException)
        {
            failed = true;
            Console.Error.WriteLine($"bench failed: {e.Message}");
            Console.Error.WriteLine($"server logs are kept in {work}");
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        report.Elapsed = clock.Elapsed;
        report.LoadAverageAtEnd = BenchReport.LoadAverage();
        report.Print();
        if (failed)
        {
            return 1;
        }
        if (options.WriteResults)
        {
            report.Write(Path.Combine(root, "bench", "RESULTS.md"));
        }
        TryDelete(work);
        return 0;
    }

    private static async Task RunPostgresAsync(BenchContext context, CancellationToken cancellationToken)
    {
        const string db = "postgres";
        Section("PostgreSQL: fresh database, seed, dataset definition");
        await using var pg = await PostgresTarget.CreateAsync(context.Options.Postgres, cancellationToken);
        Console.WriteLine($"created database {pg.Name}");
        await using (var connection = await pg.OpenAsync(cancellationToken))
        {
            context.Report.PostgresVersion = await connection.ExecuteScalarAsync<string>("SHOW server_version") ?? "?";
        }
        var dataDirectory = Path.Combine(context.WorkDirectory, "pg-data");
        Directory.CreateDirectory(dataDirectory);
        var env = PlatformEnvironment("postgres", pg.ConnectionString, dataDirectory);
        (await context.CliAsync(env, ["seed"], cancellationToken)).EnsureSuccess("seed");
        Func<TimeSpan> databaseCpu = () => ChildProcess.PostgresBackendsCpuTime(pg.Name);
        Func<CancellationToken, Task<System.Data.Common.DbConnection>> open = async ct => await pg.OpenAsync(ct);
        if (context.Options.Only is BenchOptions.Desensitised or BenchOptions.GraphQL or BenchOptions.Granted or BenchOptions.Soak or BenchOptions.Portal)
        {
            await RunOnlyAsync(context, db, env, pg.ConnectionString, cancellationToken);
            return;
        }
        if (context.Options.Only == BenchOptions.Quotas)
        {
            await QuotasScenario.RunAsync(context, db, env, QuotasScenario.SeededDataset, open, databaseCpu, cancellationToken);
            return;
        }
        if (context.Options.Only == BenchOptions.Telemetry)
        {
            await TelemetryScenario.RunAsync(context, db, env, QuotasScenario.SeededDataset, databaseCpu, cancellationToken);
            return;
        }
        if (context.Options.Only == BenchOptions.Notify)
        {
            await NotifyScenario.RunAsync(context, env, pg.ConnectionString, cancellationToken);
            return;
        }
        await using (var connection = await pg.OpenAsync(cancellationToken))
        {
            var key = await connection.ExecuteScalarAsync<long>(InsertDatasetSql, new { now = DateTime.UtcNow });
            await InsertColumnsAsync(connection, key);
        }
        if (context.Options.Only == BenchOptions.Scale)
        {
            Section("Scale: the villages through the operator CLI");
            var loaded = (await context.CliAsync(env, ["import", "--dataset", DatasetId, "--file", context.Villages], cancellationToken)).EnsureSuccess("import");
            Console.WriteLine($"import: {loaded.Elapsed.TotalSeconds:F2} s wall");
            await ScaleScenario.RunAsync(context, env, pg, cancellationToken);
            return;
        }

        Section("Scenario 4: ingestion — operator CLI import vs psql \\copy FROM");
        var startup = await context.CliAsync(env, ["migrate"], cancellationToken);
        startup.EnsureSuccess("migrate");
        var import = await context.CliAsync(env, ["import", "--dataset", DatasetId, "--file", context.Villages], cancellationToken);
        import.EnsureSuccess("import");
        var loadSeconds = CliLoadSeconds(import.Output, context.VillageRows);
        Console.WriteLine($"import: {import.Elapsed.TotalSeconds:F2} s wall; the CLI's own load time {loadSeconds?.ToString("F1", CultureInfo.InvariantCulture) ?? "?"} s; " +
            $"CLI start-up alone, measured with a no-op migrate: {startup.Elapsed.TotalSeconds:F2} s");
        await Psql(pg, "CREATE TABLE copy_baseline (code text, name text, \"streetCode\" text, \"provinceCode\" text, \"cityCode\" text, \"areaCode\" text)", cancellationToken);
        var copyFrom = await Psql(pg, $"\\copy copy_baseline FROM '{context.Villages.Replace("'", "''", StringComparison.Ordinal)}' CSV HEADER", cancellationToken);
        Console.WriteLine($"psql \\copy FROM: {copyFrom.Elapsed.TotalSeconds:F2} s");
        string table;
        await using (var connection = await pg.OpenAsync(cancellationToken))
        {
            var published = await connection.ExecuteScalarAsync<long>("SELECT row_count FROM datasets WHERE id = @id", new { id = DatasetId });
            var copied = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM copy_baseline");
            if (published != context.VillageRows || copied != context.VillageRows)
            {
                throw new InvalidOperationException($"expected {context.VillageRows} rows; the platform published {published} and COPY loaded {copied}");
            }
            table = await CurrentTableAsync(connection);
        }
        context.Report.Add(new ScenarioResult(db, "ingestion (CLI import vs COPY FROM)",
            $"{import.Elapsed.TotalSeconds:F2} s ({context.VillageRows / import.Elapsed.TotalSeconds:N0} rows/s)",
            $"{copyFrom.Elapsed.TotalSeconds:F2} s ({context.VillageRows / copyFrom.Elapsed.TotalSeconds:N0} rows/s)",
            copyFrom.Elapsed / import.Elapsed, "≥ 0.5×", copyFrom.Elapsed / import.Elapsed >= 0.5,
            $"the import's wall time covers process start-up ({startup.Elapsed.TotalSeconds:F2} s for a no-op `migrate`), " +
            (loadSeconds is { } load ? $"then the load the CLI reports as {load:F1} s (ratio {copyFrom.Elapsed.TotalSeconds / load:F2}× on that alone): " : "then the load: ") +
            "parse and check every value, binary COPY with a _row column, ADD PRIMARY KEY, ANALYZE and the publish; COPY FROM loads six text columns, no key"));

        var exportSql = $"COPY (SELECT c0, c1, c2, c3, c4, c5 FROM \"{table}\" ORDER BY _row) TO STDOUT CSV HEADER";
        await RunReadScenariosAsync(context, db, env, pg.ConnectionString, table,
            async ct => (await PsqlToDevNull(pg, exportSql, ct)).Elapsed, diagnostics: true, cancellationToken);
        if (context.Options.Only is BenchOptions.Twins or BenchOptions.Aggregates or BenchOptions.Indexes)
        {
            return;
        }
        // Scenario 7 starts two hosts of its own, once the main host has stopped: the page of scenario 1's "records, no filter".
        await QuotasScenario.RunAsync(context, db, env, DatasetId, open, databaseCpu, cancellationToken);
        await TelemetryScenario.RunAsync(context, db, env, DatasetId, databaseCpu, cancellationToken);
    }

    private static async Task RunSqliteAsync(BenchContext context, CancellationToken cancellationToken)
    {
        const string db = "sqlite";
        if (context.Options.Only == BenchOptions.Notify)
        {
            Console.WriteLine("scenario 13 is PostgreSQL's alone: SQLite has no NOTIFY, and its nodes forget at their caches' interval");
            return;
        }
        Section("SQLite: fresh file, seed, dataset definition, import");
        var dataDirectory = Path.Combine(context.WorkDirectory, "sqlite-data");
        Directory.CreateDirectory(dataDirectory);
        var file = Path.Combine(dataDirectory, "opendata.db");
        var connectionString = $"Data Source={file}";
        var env = PlatformEnvironment("sqlite", connectionString, dataDirectory);
        (await context.CliAsync(env, ["seed"], cancellationToken)).EnsureSuccess("seed");
        Func<CancellationToken, Task<System.Data.Common.DbConnection>> open = async ct =>
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            return connection;
        };
        if (context.Options.Only is BenchOptions.Desensitised or BenchOptions.GraphQL or BenchOptions.Granted or BenchOptions.Soak or BenchOptions.Portal)
        {
            await RunOnlyAsync(context, db, env, connectionString, cancellationToken);
            SqliteConnection.ClearAllPools();
            return;
        }
        if (context.Options.Only == BenchOptions.Quotas)
        {
            await QuotasScenario.RunAsync(context, db, env, QuotasScenario.SeededDataset, open, null, cancellationToken);
            SqliteConnection.ClearAllPools();
            return;
        }
        if (context.Options.Only == BenchOptions.Telemetry)
        {
            await TelemetryScenario.RunAsync(context, db, env, QuotasScenario.SeededDataset, null, cancellationToken);
            SqliteConnection.ClearAllPools();
            return;
        }
        if (context.Options.Only == BenchOptions.Embedded)
        {
            await EmbeddedScenario.RunAsync(context, env, connectionString, cancellationToken);
            SqliteConnection.ClearAllPools();
            return;
        }
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            var key = await connection.ExecuteScalarAsync<long>(InsertDatasetSql, new { now });
            await InsertColumnsAsync(connection, key);
        }
        var import = await context.CliAsync(env, ["import", "--dataset", DatasetId, "--file", context.Villages], cancellationToken);
        import.EnsureSuccess("import");
        string table;
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            table = await CurrentTableAsync(connection);
        }
        context.Report.Add(new ScenarioResult(db, "ingestion (CLI import)", $"{import.Elapsed.TotalSeconds:F2} s ({context.VillageRows / import.Elapsed.TotalSeconds:N0} rows/s)",
            "no baseline", null, "", null, ""));
        await RunReadScenariosAsync(context, db, env, connectionString, table, null, diagnostics: false, cancellationToken);
        if (context.Options.Only is BenchOptions.Twins or BenchOptions.Aggregates or BenchOptions.Indexes)
        {
            SqliteConnection.ClearAllPools();
            return;
        }
        await QuotasScenario.RunAsync(context, db, env, DatasetId, open, null, cancellationToken);
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Scenarios 1–3 against a running platform host and the bare endpoint, both in their own processes.</summary>
    private static async Task RunReadScenariosAsync(BenchContext context, string db, Dictionary<string, string?> env, string connectionString, string table,
        Func<CancellationToken, Task<TimeSpan>>? copyTo, bool diagnostics, CancellationToken cancellationToken)
    {
        var options = context.Options;
        Section($"{db}: starting the platform host and the bare endpoint");
        var platformPort = ChildProcess.FreePort();
        var barePort = ChildProcess.FreePort();
        while (barePort == platformPort)
        {
            barePort = ChildProcess.FreePort();
        }
        var (started, operatorApp) = StartPlatform(context, db, env, platformPort);
        await using var platform = started;
        await using var bare = ChildProcess.Start("bare endpoint", context.Dotnet,
            [BenchContext.BenchDll, "bare", "--port", barePort.ToString(CultureInfo.InvariantCulture), "--provider", db, "--conn", connectionString, "--table", table],
            new Dictionary<string, string?> { ["DOTNET_gcServer"] = "1", ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            context.WorkDirectory, Path.Combine(context.WorkDirectory, $"bare-{db}.log"));
        using var platformClient = LoadDriver.Client(new Uri($"http://127.0.0.1:{platformPort}"), options.Workers);
        using var bareClient = LoadDriver.Client(new Uri($"http://127.0.0.1:{barePort}"), options.Workers);
        await platform.WaitUntilReadyAsync(platformClient, $"http://127.0.0.1:{platformPort}/readyz", TimeSpan.FromSeconds(60), cancellationToken);
        await bare.WaitUntilReadyAsync(bareClient, $"http://127.0.0.1:{barePort}/ready", TimeSpan.FromSeconds(60), cancellationToken);
        Console.WriteLine($"platform host pid {platform.Id} on :{platformPort}, bare endpoint pid {bare.Id} on :{barePort}, version table {table}");
        // The host makes the villages' synthetic twin as soon as it starts: measured, and waited for, before anything else is.
        await TwinScenario.RunAsync(context, db, connectionString, platform, platformClient, cancellationToken);
        if (options.Only == BenchOptions.Twins)
        {
            return;
        }
        if (options.Only == BenchOptions.Aggregates)
        {
            await AggregateScenario.RunAsync(context, db, platform, platformClient, bare, bareClient, cancellationToken);
            return;
        }
        if (options.Only == BenchOptions.Indexes)
        {
            await IndexScenario.RunAsync(context, db, env, connectionString, platform, platformClient, cancellationToken);
            return;
        }
        // Let tiered JIT settle on the hot paths of both processes before anything is measured.
        var warmPath = $"/v1/datasets/{DatasetId}/records?limit={PageSize}";
        await LoadDriver.RunAsync(platformClient, warmPath, options.Workers, options.Warmup * 2, cancellationToken);
        await LoadDriver.RunAsync(bareClient, $"/bare/records?limit={PageSize}", options.Workers, options.Warmup * 2, cancellationToken);

        // Scenario 1: a page through the full path vs the same SQL behind a bare Dapper route.
        foreach (var (label, where, column, value) in RecordQueries)
        {
            Section($"Scenario 1 ({db}): {label}, limit {PageSize}");
            var platformPath = $"/v1/datasets/{DatasetId}/records?limit={PageSize}" + (where is null ? "" : "&where=" + Uri.EscapeDataString(where));
            var barePath = $"/bare/records?limit={PageSize}" + (column is null ? "" : $"&col={column}&value={Uri.EscapeDataString(value!)}");
            var (platformCodes, _) = await PageAsync(platformClient, platformPath, cancellationToken);
            var (bareCodes, _) = await PageAsync(bareClient, barePath, cancellationToken);
            if (platformCodes.Count == 0 || !platformCodes.SequenceEqual(bareCodes))
            {
                throw new InvalidOperationException($"{label}: the platform and the bare endpoint disagree ({platformCodes.Count} vs {bareCodes.Count} rows)");
            }
            var (full, baseline) = await LoadDriver.CompareAsync(platformClient, platformPath, bareClient, barePath, options, cancellationToken, platform, bare);
            Console.WriteLine($"platform {full.Describe()}");
            Console.WriteLine($"bare     {baseline.Describe()}");
            var ratio = full.RequestsPerSecond / baseline.RequestsPerSecond;
            context.Report.Add(new ScenarioResult(db, label + " vs bare Dapper",
                $"{full.RequestsPerSecond:F0} req/s", $"{baseline.RequestsPerSecond:F0} req/s", ratio, "≥ 0.8×", ratio >= 0.8,
                $"p50 {full.Percentile(50):F1} ms vs {baseline.Percentile(50):F1} ms, p99 {full.Percentile(99):F1} ms vs {baseline.Percentile(99):F1} ms; " +
                $"server CPU {full.CpuMsPerRequest:F2} vs {baseline.CpuMsPerRequest:F2} ms a request " +
                (db == "postgres" ? "(the serving process only, PostgreSQL's not counted); " : "(SQLite runs inside each serving process, so this includes the database); ") +
                $"{platformCodes.Count} rows a page, {full.Bytes / Math.Max(1, full.Requests):N0} vs {baseline.Bytes / Math.Max(1, baseline.Requests):N0} bytes a response"));
        }

        await AggregateScenario.RunAsync(context, db, platform, platformClient, bare, bareClient, cancellationToken);

        if (diagnostics)
        {
            // Where the full path's time goes: the catalogue round trips, and the host's fixed cost per request.
            Section($"Diagnostic ({db}): records, no filter vs bare Dapper that also makes the platform's catalogue lookup, uncached");
            var plainPath = $"/v1/datasets/{DatasetId}/records?limit={PageSize}";
            var lookupPath = $"/bare/records?limit={PageSize}&lookups=1";
            var (full, withLookups) = await LoadDriver.CompareAsync(platformClient, plainPath, bareClient, lookupPath, options, cancellationToken, platform, bare);
            Console.WriteLine($"platform {full.Describe()}");
            Console.WriteLine($"bare+cat {withLookups.Describe()}");
            context.Report.Add(new ScenarioResult(db, "diagnostic: records, no filter vs bare Dapper + an uncached catalogue lookup",
                $"{full.RequestsPerSecond:F0} req/s", $"{withLookups.RequestsPerSecond:F0} req/s", full.RequestsPerSecond / withLookups.RequestsPerSecond, "info", null,
                $"server CPU {full.CpuMsPerRequest:F2} vs {withLookups.CpuMsPerRequest:F2} ms a request"));

            Section($"Diagnostic ({db}): hello world — platform GET /healthz vs a bare Kestrel route with the same JSON");
            var (health, hello) = await LoadDriver.CompareAsync(platformClient, "/healthz", bareClient, "/hello", options, cancellationToken, platform, bare);
            Console.WriteLine($"platform {health.Describe()}");
            Console.WriteLine($"bare     {hello.Describe()}");
            context.Report.Add(new ScenarioResult(db, "diagnostic: GET /healthz vs hello-world Kestrel",
                $"{health.RequestsPerSecond:F0} req/s", $"{hello.RequestsPerSecond:F0} req/s", health.RequestsPerSecond / hello.RequestsPerSecond, "info", null,
                $"server CPU {health.CpuMsPerRequest:F3} vs {hello.CpuMsPerRequest:F3} ms a request"));
        }

        Func<TimeSpan>? databaseCpu = db == "postgres"
            ? () => ChildProcess.PostgresBackendsCpuTime(new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!)
            : null;
        await RunTokenScenariosAsync(context, db, platform, platformClient, operatorApp, databaseCpu, cancellationToken);
        await DesensitisedScenario.RunAsync(context, db, platform, platformClient, operatorApp, databaseCpu, cancellationToken);
        await GrantedScenario.RunAsync(context, db, platform, platformClient, operatorApp, databaseCpu, cancellationToken);
        await PortalScenario.RunAsync(context, db, platform, platformClient, cancellationToken);

        // Scenario 2: walk to the deep page with cursors, then compare that page with page 1.
        Section($"Scenario 2 ({db}): page {options.DeepPage} of a cursor walk vs page 1, limit {PageSize}");
        var firstPath = $"/v1/datasets/{DatasetId}/records?limit={PageSize}";
        string? cursor = null;
        var walk = Stopwatch.StartNew();
        for (var page = 1; page < options.DeepPage; page++)
        {
            var (codes, next) = await PageAsync(platformClient, cursor is null ? firstPath : firstPath + "&cursor=" + Uri.EscapeDataString(cursor), cancellationToken);
            cursor = next ?? throw new InvalidOperationException($"the walk ended at page {page} with {codes.Count} rows");
        }
        walk.Stop();
        var deepPath = firstPath + "&cursor=" + Uri.EscapeDataString(cursor!);
        var (deepCodes, _) = await PageAsync(platformClient, deepPath, cancellationToken);
        var expected = context.CodeAtRow(((long)options.DeepPage - 1) * PageSize + 1);
        if (deepCodes.Count != PageSize || deepCodes[0] != expected)
        {
            throw new InvalidOperationException($"page {options.DeepPage} starts with {deepCodes.FirstOrDefault()}; the file has {expected} there");
        }
        Console.WriteLine($"walked {options.DeepPage - 1} pages in {walk.Elapsed.TotalSeconds:F2} s ({walk.Elapsed.TotalMilliseconds / (options.DeepPage - 1):F1} ms a page, one at a time); " +
            $"page {options.DeepPage} starts at row {(options.DeepPage - 1) * PageSize + 1:N0} ({expected}) as in the file");
        var (deep, first) = await LoadDriver.CompareAsync(platformClient, deepPath, platformClient, firstPath, options, cancellationToken, platform, platform);
        Console.WriteLine($"page {options.DeepPage} {deep.Describe()}");
        Console.WriteLine($"page 1   {first.Describe()}");
        var deepRatio = deep.RequestsPerSecond / first.RequestsPerSecond;
        context.Report.Add(new ScenarioResult(db, $"page {options.DeepPage} of a cursor walk vs page 1",
            $"{deep.RequestsPerSecond:F0} req/s", $"{first.RequestsPerSecond:F0} req/s", deepRatio, "≥ 0.9×", deepRatio >= 0.9,
            $"p50 {deep.Percentile(50):F1} ms vs {first.Percentile(50):F1} ms; server CPU {deep.CpuMsPerRequest:F2} vs {first.CpuMsPerRequest:F2} ms a request; the sequential walk to page {options.DeepPage} took {walk.Elapsed.TotalSeconds:F2} s"));

        // Scenario 3: the whole dataset as CSV vs COPY TO STDOUT, with the host's peak RSS during the export.
        Section($"Scenario 3 ({db}): CSV export of {context.VillageRows:N0} rows" + (copyTo is null ? "" : " vs psql COPY TO STDOUT"));
        var exports = new List<TimeSpan>();
        var exportCpu = new List<string>();
        var copies = new List<TimeSpan>();
        double worstGrowth = 0;
        double rssBefore = 0;
        var peakMethod = "";
        for (var i = 0; i < options.ExportRepeats; i++)
        {
            var export = await ExportAsync(platform, platformClient, context.VillageRows, cancellationToken);
            exports.Add(export.Elapsed);
            exportCpu.Add($"{export.ServerCpu.TotalSeconds:F2}");
            Console.WriteLine($"export {i + 1}: {export.Elapsed.TotalSeconds:F2} s, {export.Bytes / 1048576.0:F1} MB, host CPU {export.ServerCpu.TotalSeconds:F2} s, bench (client) CPU {export.ClientCpu.TotalSeconds:F2} s, RSS {export.BeforeMb:F0} MB before, peak {export.PeakMb:F0} MB (+{export.PeakMb - export.BeforeMb:F1} MB, {export.PeakMethod})");
            if (export.PeakMb - export.BeforeMb >= worstGrowth)
            {
                worstGrowth = export.PeakMb - export.BeforeMb;
                rssBefore = export.BeforeMb;
                peakMethod = export.PeakMethod;
            }
            if (copyTo is not null)
            {
                var copy = await copyTo(cancellationToken);
                copies.Add(copy);
                Console.WriteLine($"COPY TO {i + 1}: {copy.TotalSeconds:F2} s");
            }
        }
        var bestExport = exports.Min();
        if (copyTo is not null)
        {
            var bestCopy = copies.Min();
            var exportRatio = bestCopy / bestExport;
            context.Report.Add(new ScenarioResult(db, "CSV export vs psql COPY TO STDOUT",
                $"{bestExport.TotalSeconds:F2} s ({context.VillageRows / bestExport.TotalSeconds:N0} rows/s)",
                $"{bestCopy.TotalSeconds:F2} s ({context.VillageRows / bestCopy.TotalSeconds:N0} rows/s)", exportRatio, "≥ 0.5×", exportRatio >= 0.5,
                $"export runs {string.Join(", ", exports.Select(e => e.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s; " +
                $"COPY runs {string.Join(", ", copies.Select(e => e.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s (psql to /dev/null, including psql start-up); " +
                $"host CPU during the exports {string.Join(", ", exportCpu)} s"));
        }
        else
        {
            context.Report.Add(new ScenarioResult(db, "CSV export", $"{bestExport.TotalSeconds:F2} s ({context.VillageRows / bestExport.TotalSeconds:N0} rows/s)",
                "no baseline", null, "", null, ""));
        }
        context.Report.Add(new ScenarioResult(db, "peak RSS growth of the host during export", $"+{worstGrowth:F1} MB", $"{rssBefore:F0} MB before", null, "< 64 MB", worstGrowth < 64,
            $"largest growth over {options.ExportRepeats} exports; peak from {peakMethod}"));

        // Scenario 8: the same page through GraphQL and REST, on the seeded ningbo-villages (the seed runs on every store).
        await GraphQLScenario.RunAsync(context, db, platform, platformClient, databaseCpu, cancellationToken);

        // Scenario 13 last: it adds a second copy of the villages, which nothing above reads.
        await IndexScenario.RunAsync(context, db, env, connectionString, platform, platformClient, cancellationToken);
    }

    /// <summary>
    /// Starts the platform host on <paramref name="port"/>. The host ensures an operator app with the returned credentials at start
    /// (OperatorBootstrap); the token and desensitisation scenarios set themselves up with its token.
    /// </summary>
    internal static (ChildProcess Platform, AppCredentials Operator) StartPlatform(BenchContext context, string db, Dictionary<string, string?> env, int port,
        string name = "platform", AppCredentials? operatorApp = null)
    {
        operatorApp ??= new AppCredentials("bench-operator", "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var hostEnv = new Dictionary<string, string?>(env)
        {
            ["OpenData__Operator__ClientId"] = operatorApp.ClientId,
            ["OpenData__Operator__ClientSecret"] = operatorApp.ClientSecret,
        };
        var platform = ChildProcess.Start($"{name} host", context.Dotnet,
            [context.ApiDll, "--urls", $"http://127.0.0.1:{port}"], hostEnv, context.ApiDirectory, Path.Combine(context.WorkDirectory, $"{name}-{db}.log"));
        return (platform, operatorApp);
    }

    /// <summary>
    /// <c>--only desensitised</c> and <c>--only graphql</c>: the platform host alone on the seeded store, and scenario 6 or 8; no villages,
    /// no bare endpoint.
    /// </summary>
    private static async Task RunOnlyAsync(BenchContext context, string db, Dictionary<string, string?> env, string connectionString, CancellationToken cancellationToken)
    {
        Section($"{db}: starting the platform host");
        var port = ChildProcess.FreePort();
        var (started, operatorApp) = StartPlatform(context, db, env, port);
        await using var platform = started;
        using var client = LoadDriver.Client(new Uri($"http://127.0.0.1:{port}"), context.Options.Workers);
        await platform.WaitUntilReadyAsync(client, $"http://127.0.0.1:{port}/readyz", TimeSpan.FromSeconds(60), cancellationToken);
        Console.WriteLine($"platform host pid {platform.Id} on :{port}");
        Func<TimeSpan>? databaseCpu = db == "postgres"
            ? () => ChildProcess.PostgresBackendsCpuTime(new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!)
            : null;
        if (context.Options.Only == BenchOptions.GraphQL)
        {
            await GraphQLScenario.RunAsync(context, db, platform, client, databaseCpu, cancellationToken);
            return;
        }
        if (context.Options.Only == BenchOptions.Soak)
        {
            await SoakScenario.RunAsync(context, db, platform, client, cancellationToken);
            return;
        }
        if (context.Options.Only == BenchOptions.Granted)
        {
            await GrantedScenario.RunAsync(context, db, platform, client, operatorApp, databaseCpu, cancellationToken);
            return;
        }
        if (context.Options.Only == BenchOptions.Portal)
        {
            await PortalScenario.RunAsync(context, db, platform, client, cancellationToken);
            return;
        }
        await DesensitisedScenario.RunAsync(context, db, platform, client, operatorApp, databaseCpu, cancellationToken);
    }

    internal sealed record AppCredentials(string ClientId, string ClientSecret);

    private static readonly string[] ConsumerScopes = ["catalogue:read", "records:read"];

    /// <summary>
    /// Scenario 5 (issue 3): the cost of a bearer token on the read path — the same page with and without a JWT, both on
    /// the platform host — and the token server's throughput for client_credentials, with GET /healthz for context.
    /// </summary>
    private static async Task RunTokenScenariosAsync(BenchContext context, string db, ChildProcess platform, HttpClient client, AppCredentials operatorApp,
        Func<TimeSpan>? databaseCpu, CancellationToken cancellationToken)
    {
        var options = context.Options;
        Section($"Scenario 5 ({db}): tokens — a consumer tenant and app, created with the operator's token");
        const string tenant = ConsumerTenant;
        var app = await CreateConsumerAppAsync(client, operatorApp, cancellationToken);
        var token = await IssueTokenAsync(client, app, cancellationToken);
        // Records allow anonymous callers, so a refused token would still be served a page: check it is accepted, before and after.
        await CheckTokenAsync(client, token, app.ClientId, tenant, cancellationToken);
        Console.WriteLine($"consumer app {app.ClientId} in tenant {tenant}; its access token is {token.Length} characters (ES256 JWT)");

        var (label, where, _, _) = RecordQueries[0];
        var path = $"/v1/datasets/{DatasetId}/records?limit={PageSize}&where=" + Uri.EscapeDataString(where!);
        var bearer = new LoadRequest($"GET {path} with a bearer token", () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return message;
        });
        Section($"Scenario 5a ({db}): {label}, limit {PageSize}, with a bearer token vs anonymous");
        var (withToken, anonymous) = await LoadDriver.CompareAsync(client, bearer, client, LoadDriver.Get(path), options, cancellationToken, platform, platform, databaseCpu);
        await CheckTokenAsync(client, token, app.ClientId, tenant, cancellationToken);
        Console.WriteLine($"with JWT  {withToken.Describe()}");
        Console.WriteLine($"anonymous {anonymous.Describe()}");
        var ratio = withToken.RequestsPerSecond / anonymous.RequestsPerSecond;
        context.Report.Add(new ScenarioResult(db, label + " with a JWT vs anonymous",
            $"{withToken.RequestsPerSecond:F0} req/s", $"{anonymous.RequestsPerSecond:F0} req/s", ratio, "≥ 0.9×", ratio >= 0.9,
            $"p50 {withToken.Percentile(50):F1} ms vs {anonymous.Percentile(50):F1} ms, p99 {withToken.Percentile(99):F1} ms vs {anonymous.Percentile(99):F1} ms; " +
            $"server CPU {withToken.CpuMsPerRequest:F3} vs {anonymous.CpuMsPerRequest:F3} ms a request (+{withToken.CpuMsPerRequest - anonymous.CpuMsPerRequest:F3} ms for the token" +
            (databaseCpu is null
                ? ", SQLite runs in the host); "
                : $"), PostgreSQL backends of the bench database {withToken.DatabaseCpuMsPerRequest:F3} vs {anonymous.DatabaseCpuMsPerRequest:F3} ms a request " +
                  $"(+{withToken.DatabaseCpuMsPerRequest - anonymous.DatabaseCpuMsPerRequest:F3} ms); ") +
            "both sides on the platform host, same client; " +
            $"the token ({token.Length} characters) is validated on every request: ES256 signature, then the revocation / disabled-app query (TokenState)"));

        Section($"Scenario 5b ({db}): POST /connect/token (client_credentials) vs GET /healthz");
        var form = new KeyValuePair<string, string>[]
        {
            new("grant_type", "client_credentials"), new("client_id", app.ClientId), new("client_secret", app.ClientSecret),
        };
        var issue = new LoadRequest("POST /connect/token", () => new HttpRequestMessage(HttpMethod.Post, new Uri("/connect/token", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(form),
        });
        // What the host logs for each token (its Production log level applies): 50 tokens one at a time, then the log's growth.
        var hostLog = new FileInfo(Path.Combine(context.WorkDirectory, $"platform-{db}.log"));
        var logBefore = hostLog.Exists ? hostLog.Length : 0;
        for (var i = 0; i < 50; i++)
        {
            await IssueTokenAsync(client, app, cancellationToken);
        }
        await Task.Delay(500, cancellationToken);
        hostLog.Refresh();
        var logBytesPerToken = ((hostLog.Exists ? hostLog.Length : 0) - logBefore) / 50.0;
        var (tokens, health) = await LoadDriver.CompareAsync(client, issue, client, LoadDriver.Get("/healthz"), options, cancellationToken, platform, platform, databaseCpu);
        Console.WriteLine($"tokens    {tokens.Describe()}");
        Console.WriteLine($"/healthz  {health.Describe()}");
        context.Report.Add(new ScenarioResult(db, $"token issuance (client_credentials, {options.Workers} workers) vs GET /healthz",
            $"{tokens.RequestsPerSecond:F0} tokens/s", $"{health.RequestsPerSecond:F0} req/s", tokens.RequestsPerSecond / health.RequestsPerSecond, "info", null,
            $"p50 {tokens.Percentile(50):F1} ms, p99 {tokens.Percentile(99):F1} ms (/healthz p50 {health.Percentile(50):F2} ms, p99 {health.Percentile(99):F2} ms); " +
            $"server CPU {tokens.CpuMsPerRequest:F3} ms a token vs {health.CpuMsPerRequest:F3} ms a /healthz" +
            (databaseCpu is null ? "" : $", PostgreSQL {tokens.DatabaseCpuMsPerRequest:F3} ms a token") + "; each token: the app looked up twice (client authentication, then the " +
            $"passthrough handler), its secret's SHA-256 compared, an ES256-signed JWT; {tokens.Bytes / Math.Max(1, tokens.Requests):N0} bytes a response; " +
            $"the host logs {logBytesPerToken:N0} bytes a token"));
    }

    internal const string ConsumerTenant = "bench-consumer";

    /// <summary>With the operator's token: the tenant <see cref="ConsumerTenant"/> (kind consumer) and an app of it that may read the catalogue and records.</summary>
    internal static async Task<AppCredentials> CreateConsumerAppAsync(HttpClient client, AppCredentials operatorApp, CancellationToken cancellationToken)
    {
        var operatorToken = await IssueTokenAsync(client, operatorApp, cancellationToken);
        await SendJsonAsync(client, HttpMethod.Post, "/v1/tenants", operatorToken, new { id = ConsumerTenant, name = "Bench consumer", kind = "consumer" }, cancellationToken);
        using var created = await SendJsonAsync(client, HttpMethod.Post, $"/v1/tenants/{ConsumerTenant}/apps", operatorToken,
            new { name = "bench", scopes = ConsumerScopes }, cancellationToken);
        return new AppCredentials(created.RootElement.GetProperty("clientId").GetString()!, created.RootElement.GetProperty("clientSecret").GetString()!);
    }

    internal static async Task<string> IssueTokenAsync(HttpClient client, AppCredentials app, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = app.ClientId, ["client_secret"] = app.ClientSecret,
        });
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST /connect/token for {app.ClientId} answered {(int)response.StatusCode}: {body}");
        }
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("access_token").GetString() ?? throw new InvalidOperationException("the token answer has no access_token");
    }

    internal static async Task<JsonDocument> SendJsonAsync(HttpClient client, HttpMethod method, string path, string token, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }
        return JsonDocument.Parse(text.Length == 0 ? "{}" : text);
    }

    /// <summary>GET /v1/me with the token: it must be accepted and speak for the expected app and tenant.</summary>
    private static async Task CheckTokenAsync(HttpClient client, string token, string clientId, string tenant, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/me", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /v1/me with the consumer's token answered {(int)response.StatusCode}: {body}");
        }
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.GetProperty("app").GetString() != clientId || root.GetProperty("tenant").GetString() != tenant)
        {
            throw new InvalidOperationException($"GET /v1/me with the consumer's token: {body}");
        }
    }

    internal sealed record ExportMeasure(TimeSpan Elapsed, long Bytes, double BeforeMb, double PeakMb, string PeakMethod, TimeSpan ServerCpu, TimeSpan ClientCpu);

    internal static async Task<ExportMeasure> ExportAsync(ChildProcess platform, HttpClient client, long rows, CancellationToken cancellationToken)
    {
        var before = platform.StatusKb("VmRSS") ?? throw new InvalidOperationException("cannot read the host's RSS from /proc");
        var reset = platform.TryResetPeak();
        var peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, platform.StatusKb("VmRSS") ?? 0);
                try
                {
                    await Task.Delay(50, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }, CancellationToken.None);
        var serverCpu = platform.CpuTime();
        using var self = Process.GetCurrentProcess();
        var clientCpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        long lines = 0;
        using (var response = await client.GetAsync(new Uri($"/v1/datasets/{DatasetId}/export?format=csv", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken))
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"export answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[128 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                bytes += read;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }
        clock.Stop();
        serverCpu = platform.CpuTime() - serverCpu;
        self.Refresh();
        clientCpu = self.TotalProcessorTime - clientCpu;
        await stop.CancelAsync();
        await sampler;
        peak = Math.Max(peak, platform.StatusKb("VmRSS") ?? 0);
        var method = "VmRSS polled every 50 ms";
        if (reset && platform.StatusKb("VmHWM") is { } hwm)
        {
            peak = Math.Max(peak, hwm);
            method = "VmHWM (reset before the export) and VmRSS polled every 50 ms";
        }
        if (lines != rows + 1)
        {
            throw new InvalidOperationException($"the export had {lines} lines; expected a header and {rows} rows");
        }
        return new ExportMeasure(clock.Elapsed, bytes, before / 1024.0, peak / 1024.0, method, serverCpu, clientCpu);
    }

    /// <summary>One page: the codes of its rows and its next cursor.</summary>
    internal static async Task<(List<string> Codes, string? Next)> PageAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
        }
        using var document = JsonDocument.Parse(body);
        var codes = document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString() ?? "").ToList();
        var next = document.RootElement.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return (codes, next);
    }

    internal const string InsertDatasetSql = """
        INSERT INTO datasets (id, owner_id, title, description, theme_id, classification, license, update_frequency, current_version, row_count, created_at, updated_at)
        VALUES ('villages', 'ningbo-civil-affairs', '全国村级行政区划（基准测试）', 'All 620,573 villages and communities of China (benchmark copy).',
                'administrative-divisions', 'open', 'CC-BY-4.0', 'yearly', NULL, 0, @now, @now)
        RETURNING key
        """;

    internal static async Task InsertColumnsAsync(System.Data.Common.DbConnection connection, long key)
    {
        for (var position = 0; position < ColumnNames.Length; position++)
        {
            await connection.ExecuteAsync(
                "INSERT INTO dataset_columns (dataset_key, position, name, type, title) VALUES (@key, @position, @name, 'string', @name)",
                new { key, position, name = ColumnNames[position] });
        }
    }

    internal static async Task<string> CurrentTableAsync(System.Data.Common.DbConnection connection) =>
        await connection.ExecuteScalarAsync<string>(
            "SELECT v.table_name FROM dataset_versions v JOIN datasets d ON d.key = v.dataset_key WHERE d.id = @id AND v.version = d.current_version",
            new { id = DatasetId }) ?? throw new InvalidOperationException("the villages dataset has no published version");

    /// <summary>
    /// The environment of every host and CLI run. Quota admission is off: the shipped anonymous plan (5 requests a second, burst 20)
    /// would answer 429 a moment into any load, and scenarios 1–6 measure the platform as it was before quotas; scenario 7 measures
    /// what admission and metering add, on hosts of its own.
    /// </summary>
    internal static Dictionary<string, string?> PlatformEnvironment(string provider, string connectionString, string dataDirectory) => new()
    {
        ["OpenData__Quotas__Enabled"] = "false",
        // The soak reads the generated demo datasets, which outside Development are seeded only when asked for.
        ["OpenData__Seed__DemoData"] = "true",
        ["OpenData__Database__Provider"] = provider,
        ["ConnectionStrings__OpenData"] = connectionString,
        ["OpenData__Database__DataDirectory"] = dataDirectory,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        // Outside Development the host wants its issuer and host names said (DeploymentChecks).
        ["OpenData__Auth__Issuer"] = "http://127.0.0.1/",
        ["AllowedHosts"] = "127.0.0.1;localhost",
    };

    private static async Task<CommandResult> Psql(PostgresTarget pg, string command, CancellationToken cancellationToken) =>
        (await Commands.RunAsync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", command], pg.PsqlEnvironment, null, cancellationToken))
            .EnsureSuccess("psql " + command);

    private static async Task<CommandResult> PsqlToDevNull(PostgresTarget pg, string command, CancellationToken cancellationToken) =>
        (await Commands.RunAsync("bash", ["-c", "exec psql -X -q -v ON_ERROR_STOP=1 -c \"$1\" > /dev/null", "bench", command], pg.PsqlEnvironment, null, cancellationToken))
            .EnsureSuccess("psql " + command);

    /// <summary>The "seconds" cell of the import summary table the CLI prints (dataset, version, rows, seconds, rows/s).</summary>
    internal static double? CliLoadSeconds(string output, long rows)
    {
        var rowsText = rows.ToString("N0", CultureInfo.InvariantCulture);
        foreach (var line in output.Split('\n'))
        {
            if (!line.Contains(DatasetId, StringComparison.Ordinal) || !line.Contains(rowsText, StringComparison.Ordinal))
            {
                continue;
            }
            var cells = line.Split(['│', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var at = Array.IndexOf(cells, rowsText);
            if (at >= 0 && at + 1 < cells.Length && double.TryParse(cells[at + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds;
            }
        }
        return null;
    }

    private static long CountRows(string path)
    {
        long lines = 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 16];
        int read;
        var last = (byte)'\n';
        while ((read = stream.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            last = buffer[read - 1];
        }
        return (last == (byte)'\n' ? lines : lines + 1) - 1;
    }

    private static string RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "OpenData.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("cannot find OpenData.sln above the bench or the current folder");
    }

    internal static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"== {title}");
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Paths and shared state of one run.</summary>
internal sealed class BenchContext(BenchOptions options, string root, string villages, string work, BenchReport report)
{
    public BenchOptions Options { get; } = options;

    public string RepoRoot { get; } = root;

    public string Villages { get; } = villages;

    public string WorkDirectory { get; } = work;

    public BenchReport Report { get; } = report;

    public long VillageRows { get; set; }

    public string Dotnet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>The host's build output; processes of the host run here so its appsettings.json applies (the content root is the working folder).</summary>
    public string ApiDirectory => Path.Combine(RepoRoot, "api", "OpenData.Api", "bin", "Release", "net10.0");

    public string ApiDll => Path.Combine(ApiDirectory, "OpenData.Api.dll");

    public static string BenchDll => Path.Combine(AppContext.BaseDirectory, "OpenData.Bench.dll");

    /// <summary>The platform is built in Release by `dotnet run -c Release` (a project reference); build it if it is missing.</summary>
    public async Task EnsureBuiltAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(ApiDll))
        {
            return;
        }
        Console.WriteLine("building api/OpenData.Api in Release");
        (await Commands.RunAsync(Dotnet, ["build", "-c", "Release", Path.Combine(RepoRoot, "api", "OpenData.Api")], null, RepoRoot, cancellationToken))
            .EnsureSuccess("dotnet build -c Release api/OpenData.Api");
    }

    /// <summary>Runs the operator CLI (<c>OpenData.Api.dll COMMAND</c>) on the given store.</summary>
    public Task<CommandResult> CliAsync(Dictionary<string, string?> environment, string[] arguments, CancellationToken cancellationToken) =>
        Commands.RunAsync(Dotnet, [ApiDll, .. arguments], environment, ApiDirectory, cancellationToken);

    /// <summary>The code of the n-th data row of the villages file (1-based), read straight from the file.</summary>
    public string CodeAtRow(long row)
    {
        var line = File.ReadLines(Villages).Skip(checked((int)row)).First();
        return line.Split(',')[0].Trim('"');
    }
}
