using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace OpenData.Bench;

/// <summary>
/// Scenario 13 (issue 19): a sparse filter on the 620,573 villages (<c>areaCode = '330203'</c>, 191 rows, and the prefix
/// <c>areaCode like '33020%'</c>) through the platform, on a copy of the villages whose owner declared <c>areaCode</c> indexed
/// against the villages without, on the same host in the same run. The copy is loaded by the operator's <c>import</c> like the
/// villages, so its load time includes building the index. Both answers are checked to be the same rows first.
/// </summary>
internal static class IndexScenario
{
    public const string IndexedDatasetId = "villages-indexed";

    private static readonly (string Label, string Where)[] Filters =
    [
        ("areaCode = '330203'", "areaCode = '330203'"),
        ("areaCode like '33020%'", "areaCode like '33020%'"),
    ];

    public static async Task RunAsync(BenchContext context, string db, Dictionary<string, string?> env, string connectionString, ChildProcess platform,
        HttpClient client, CancellationToken cancellationToken)
    {
        BenchRun.Section($"Scenario 13 ({db}): the villages again, with areaCode declared indexed; CLI import");
        await using (var connection = await OpenAsync(db, connectionString, cancellationToken))
        {
            object now = db == "postgres" ? DateTime.UtcNow : DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            var key = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO datasets (id, owner_id, title, description, theme_id, classification, license, update_frequency, current_version, row_count, created_at, updated_at)
                VALUES (@id, 'ningbo-civil-affairs', '全国村级行政区划（基准测试，areaCode 有索引）', 'The benchmark villages with areaCode indexed.',
                        'administrative-divisions', 'open', 'CC-BY-4.0', 'yearly', NULL, 0, @now, @now)
                RETURNING key
                """, new { id = IndexedDatasetId, now });
            for (var position = 0; position < BenchRun.ColumnNames.Length; position++)
            {
                var name = BenchRun.ColumnNames[position];
                await connection.ExecuteAsync(
                    "INSERT INTO dataset_columns (dataset_key, position, name, type, title, indexed) VALUES (@key, @position, @name, 'string', @name, @indexed)",
                    new { key, position, name, indexed = name == "areaCode" });
            }
        }
        var import = await context.CliAsync(env, ["import", "--dataset", IndexedDatasetId, "--file", context.Villages], cancellationToken);
        import.EnsureSuccess("import (indexed)");
        Console.WriteLine($"import with the index: {import.Elapsed.TotalSeconds:F2} s wall");
        await WaitForTwinAsync(db, connectionString, cancellationToken);
        var indexSeconds = await TimeIndexBuildAsync(db, connectionString, cancellationToken);
        Console.WriteLine($"building the same index again on the loaded table, alone: {indexSeconds:F2} s");

        foreach (var (label, where) in Filters)
        {
            BenchRun.Section($"Scenario 13 ({db}): records where {label}, indexed vs not");
            var indexedPath = $"/v1/datasets/{IndexedDatasetId}/records?limit=100&where={Uri.EscapeDataString(where)}";
            var plainPath = $"/v1/datasets/{BenchRun.DatasetId}/records?limit=100&where={Uri.EscapeDataString(where)}";
            // The copy's host cache may still hold "not published" for a moment after the import.
            var deadline = Stopwatch.StartNew();
            List<string> indexedCodes;
            while (true)
            {
                try
                {
                    (indexedCodes, _) = await BenchRun.PageAsync(client, indexedPath, cancellationToken);
                    break;
                }
                catch (InvalidOperationException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
                {
                    await Task.Delay(500, cancellationToken);
                }
            }
            var (plainCodes, _) = await BenchRun.PageAsync(client, plainPath, cancellationToken);
            if (indexedCodes.Count == 0 || !indexedCodes.SequenceEqual(plainCodes))
            {
                throw new InvalidOperationException($"{label}: the indexed and the plain villages disagree ({indexedCodes.Count} vs {plainCodes.Count} rows)");
            }
            var (withIndex, without) = await LoadDriver.CompareAsync(client, indexedPath, client, plainPath, context.Options, cancellationToken, platform, platform);
            Console.WriteLine($"indexed {withIndex.Describe()}");
            Console.WriteLine($"plain   {without.Describe()}");
            var ratio = withIndex.RequestsPerSecond / without.RequestsPerSecond;
            context.Report.Add(new ScenarioResult(db, $"records where {label}: areaCode indexed vs not",
                $"{withIndex.RequestsPerSecond:F0} req/s", $"{without.RequestsPerSecond:F0} req/s", ratio, "≥ 3×", ratio >= 3,
                $"p50 {withIndex.Percentile(50):F1} ms vs {without.Percentile(50):F1} ms, p99 {withIndex.Percentile(99):F1} ms vs {without.Percentile(99):F1} ms; " +
                $"server CPU {withIndex.CpuMsPerRequest:F2} vs {without.CpuMsPerRequest:F2} ms a request; {indexedCodes.Count} rows a page; " +
                $"the indexed copy's import took {import.Elapsed.TotalSeconds:F2} s wall, of which building the index about {indexSeconds:F2} s"));
        }
    }

    private static async Task<DbConnection> OpenAsync(string db, string connectionString, CancellationToken cancellationToken)
    {
        DbConnection connection = db == "postgres" ? new Npgsql.NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// The host's sandbox worker makes the copy's synthetic twin as soon as it sees it published: waited for (as scenario 11 waits
    /// for the villages'), so nothing shares the CPU with the measurement. A worker that shows no twin within a minute is not waited for.
    /// </summary>
    private static async Task WaitForTwinAsync(string db, string connectionString, CancellationToken cancellationToken)
    {
        var wait = Stopwatch.StartNew();
        string? status = null;
        while (wait.Elapsed < TimeSpan.FromMinutes(15))
        {
            await using (var connection = await OpenAsync(db, connectionString, cancellationToken))
            {
                status = await connection.ExecuteScalarAsync<string?>(
                    "SELECT t.status FROM sandbox_twins t JOIN datasets d ON d.key = t.dataset_key WHERE d.id = @id ORDER BY t.version DESC LIMIT 1",
                    new { id = IndexedDatasetId });
            }
            if (status is "ready" or "withheld" or "failed" || (status is null && wait.Elapsed > TimeSpan.FromMinutes(1)))
            {
                break;
            }
            await Task.Delay(500, cancellationToken);
        }
        Console.WriteLine($"the copy's synthetic twin: {status ?? "none"} after {wait.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>What the index costs the load: the same CREATE INDEX statements again, under other names, on the loaded copy, timed.</summary>
    private static async Task<double> TimeIndexBuildAsync(string db, string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(db, connectionString, cancellationToken);
        var table = await connection.ExecuteScalarAsync<string>(
            "SELECT v.table_name FROM dataset_versions v JOIN datasets d ON d.key = v.dataset_key WHERE d.id = @id AND v.version = d.current_version",
            new { id = IndexedDatasetId }) ?? throw new InvalidOperationException("the indexed villages have no published version");
        string[] statements = db == "postgres"
            ? [$"CREATE INDEX bench_again ON \"{table}\" (c5 NULLS FIRST, _row)", $"CREATE INDEX bench_again_prefix ON \"{table}\" (c5 text_pattern_ops)"]
            : [$"CREATE INDEX bench_again ON \"{table}\" (c5)"];
        var clock = Stopwatch.StartNew();
        foreach (var sql in statements)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, commandTimeout: 0, cancellationToken: cancellationToken));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await connection.ExecuteAsync("DROP INDEX bench_again");
        if (db == "postgres")
        {
            await connection.ExecuteAsync("DROP INDEX bench_again_prefix");
        }
        return seconds;
    }
}
