using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace OpenData.Bench;

/// <summary>
/// Scenario 11 (issue 16): the synthetic twin of the 620,573 villages, made by the host's background worker right after it
/// starts (one pass over the real rows into the profiler, generation, the twin table's writes, the fidelity and privacy report),
/// against reading the same rows through the platform (a CSV export, in the same run). The twin's time is the worker's own
/// (<c>started_at</c> to <c>finished_at</c> in <c>sandbox_twins</c>). The rest of the run waits for the twin, so no other
/// scenario shares the CPU with it.
/// </summary>
internal static class TwinScenario
{
    public static async Task RunAsync(BenchContext context, string db, string connectionString, ChildProcess platform, HttpClient client, CancellationToken cancellationToken)
    {
        BenchRun.Section($"Scenario 11 ({db}): the villages' synthetic twin vs reading the same rows (CSV export)");
        var wait = Stopwatch.StartNew();
        Twin? twin = null;
        while (wait.Elapsed < TimeSpan.FromMinutes(15))
        {
            twin = await FindAsync(db, connectionString, cancellationToken);
            if (twin is { Status: "ready" or "withheld" or "failed" })
            {
                break;
            }
            await Task.Delay(500, cancellationToken);
        }
        if (twin is not { Status: "ready" or "withheld" })
        {
            throw new InvalidOperationException($"the villages' twin did not finish within 15 minutes (status {twin?.Status ?? "none"}{(twin?.Error is { } e ? ": " + e : "")})");
        }
        var seconds = (twin.FinishedAt - twin.StartedAt).TotalSeconds;
        Console.WriteLine($"twin: {twin.Status}, {twin.Rows:N0} rows from {twin.SourceRows:N0} in {seconds:F2} s ({twin.Rows / seconds:N0} rows/s)");
        var export = await BenchRun.ExportAsync(platform, client, context.VillageRows, cancellationToken);
        var exportRate = context.VillageRows / export.Elapsed.TotalSeconds;
        Console.WriteLine($"export: {export.Elapsed.TotalSeconds:F2} s ({exportRate:N0} rows/s)");
        var twinRate = twin.Rows / seconds;
        context.Report.Add(new ScenarioResult(db, "synthetic twin of the villages vs reading them (CSV export)",
            $"{seconds:F2} s ({twinRate:N0} rows/s)", $"{export.Elapsed.TotalSeconds:F2} s ({exportRate:N0} rows/s)", twinRate / exportRate, "info", null,
            $"twin {twin.Status}: {twin.Rows:N0} twin rows from {twin.SourceRows:N0} real ones — one read of the real rows into the profiler, " +
            "generation, the twin table's inserts (SQLite: 20,000 a transaction; PostgreSQL: COPY, then its key and ANALYZE) and the report's " +
            "checks (overlap, distance to closest record); the export streams the same rows through the read path to the client"));
    }

    private sealed record Twin(string Status, long Rows, long SourceRows, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string? Error);

    /// <summary>Waits until the host's worker has finished the villages' twin (ready, withheld or failed), so its CPU is out of what is measured next.</summary>
    public static async Task WaitUntilDoneAsync(string db, string connectionString, CancellationToken cancellationToken)
    {
        var wait = Stopwatch.StartNew();
        while (wait.Elapsed < TimeSpan.FromMinutes(15))
        {
            if (await FindAsync(db, connectionString, cancellationToken) is { Status: "ready" or "withheld" or "failed" } twin)
            {
                Console.WriteLine($"the host's twin of the villages: {twin.Status} after {wait.Elapsed.TotalSeconds:F0} s (waited for, not measured)");
                return;
            }
            await Task.Delay(500, cancellationToken);
        }
        throw new InvalidOperationException("the villages' twin did not finish within 15 minutes");
    }

    private static async Task<Twin?> FindAsync(string db, string connectionString, CancellationToken cancellationToken)
    {
        await using DbConnection connection = db == "postgres" ? new Npgsql.NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        try
        {
            var row = await connection.QuerySingleOrDefaultAsync(
                "SELECT t.status, t.row_count, t.source_rows, t.started_at, t.finished_at, t.error FROM sandbox_twins t JOIN datasets d ON d.key = t.dataset_key WHERE d.id = @id ORDER BY t.version DESC LIMIT 1",
                new { id = BenchRun.DatasetId });
            if (row is null)
            {
                return null;
            }
            return new Twin((string)row.status, Convert.ToInt64(row.row_count, CultureInfo.InvariantCulture), Convert.ToInt64(row.source_rows, CultureInfo.InvariantCulture),
                Time(row.started_at), Time(row.finished_at), (string?)row.error);
        }
        catch (DbException)
        {
            return null; // not migrated yet
        }
    }

    private static DateTimeOffset Time(object? value) => value switch
    {
        null => default,
        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        DateTimeOffset t => t,
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture),
        _ => default,
    };
}
