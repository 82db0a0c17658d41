using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Ingestion;
using OpenData.Platform.Storage;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// Makes one twin: one pass over the version's real rows into the <see cref="TwinProfiler"/> (statistics only; no value is
/// copied), then the <see cref="TwinGenerator"/>'s rows into a new twin table while the <see cref="TwinAssessor"/> measures them,
/// then the report decides: served (ready) or withheld (the table is dropped). The lease is renewed as it goes; a node that lost
/// it (another took over, or the dataset's tags changed) stops and leaves no table behind.
/// </summary>
internal sealed class TwinBuilder(Database database, DatasetDirectory directory, TwinStore store, TwinTables tables, IOptions<SandboxOptions> options,
    TimeProvider clock, ILogger<TwinBuilder> logger)
{
    /// <summary>Rows written per SQLite transaction, so the store's other writers (quota counters, audit) get in between.</summary>
    private const int SqliteChunk = 20_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task BuildAsync(TwinRow twin, string node, CancellationToken cancellationToken)
    {
        var (dataset, _) = await directory.FindForReadAsync(twin.DatasetId, cancellationToken);
        var version = await directory.FindVersionAsync(twin.DatasetKey, twin.Version, cancellationToken);
        if (dataset is null || dataset.Key != twin.DatasetKey || version is null)
        {
            // The dataset or the version went away meanwhile: nothing to make.
            await store.DeleteAsync(twin.DatasetKey, twin.Version, cancellationToken);
            return;
        }
        var settings = new TwinSettings(options.Value.MinCategoryCount, options.Value.MaxTwinRows);
        var length = options.Value.Lease;
        var lease = new WorkLease(c => store.HeartbeatAsync(twin, node, length, c), length, clock);
        var table = TwinStore.TableName(twin.DatasetKey, twin.Version, twin.Generation);
        var watch = Stopwatch.StartNew();
        try
        {
            var profile = await ProfileAsync(dataset, version, settings, lease, cancellationToken);
            var generator = new TwinGenerator(profile, twin.Seed);
            var assessor = new TwinAssessor(profile, twin.Seed);
            var rows = await WriteAsync(dataset, table, generator, assessor, lease, cancellationToken);
            var report = assessor.Complete();
            var passed = report.Passed;
            if (!passed)
            {
                await store.DropTableAsync(table, cancellationToken);
            }
            var (recorded, replaced) = await store.FinishAsync(twin, node, passed ? TwinStatus.Ready : TwinStatus.Withheld, passed ? table : null,
                version.RowCount, rows, JsonSerializer.Serialize(report, Json), cancellationToken);
            if (!recorded)
            {
                await store.DropTableAsync(table, cancellationToken);
                return;
            }
            if (replaced is not null)
            {
                await store.DropTableAsync(replaced, cancellationToken);
            }
            tables.Forget(twin.DatasetKey);
            logger.LogInformation("Twin of {Dataset} version {Version} (generation {Generation}): {Rows} rows from {SourceRows} in {Ms} ms, {Status}",
                twin.DatasetId, twin.Version, twin.Generation, rows, version.RowCount, watch.ElapsedMilliseconds, passed ? TwinStatus.Ready : TwinStatus.Withheld);
        }
        catch (WorkLeaseLostException)
        {
            await store.DropTableAsync(table, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Twin of {Dataset} version {Version} failed", twin.DatasetId, twin.Version);
            await store.DropTableAsync(table, CancellationToken.None);
            await store.FailAsync(twin, node, e.Message, CancellationToken.None);
        }
    }

    private async Task<TwinProfile> ProfileAsync(DatasetSchema dataset, DatasetVersionTable version, TwinSettings settings, WorkLease lease, CancellationToken cancellationToken)
    {
        var profiler = new TwinProfiler(dataset.Columns, settings);
        var columns = dataset.Columns;
        var cells = new object?[columns.Count];
        var dialect = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = $"SELECT {string.Join(", ", columns.Select(c => c.PhysicalName))} FROM {dialect.Quote(version.TableName)} ORDER BY _row";
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, cancellationToken: cancellationToken, commandTimeout: 0));
        long read = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = dialect.ReadCell(reader, i, columns[i].Type);
            }
            profiler.Observe(cells);
            if (++read % 50_000 == 0)
            {
                await lease.RenewIfDueAsync(cancellationToken);
            }
        }
        return profiler.Complete();
    }

    private async Task<long> WriteAsync(DatasetSchema dataset, string table, TwinGenerator generator, TwinAssessor assessor, WorkLease lease, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        var columns = dataset.Columns;
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"DROP TABLE IF EXISTS {dialect.Quote(table)}", cancellationToken: cancellationToken));
        var definitions = string.Join(", ", columns.Select(c => $"{c.PhysicalName} {dialect.ColumnType(c.Type)}"));
        await connection.ExecuteAsync(new CommandDefinition(database.Provider == DatabaseProvider.Sqlite
            ? $"CREATE TABLE {dialect.Quote(table)} (_row INTEGER PRIMARY KEY, {definitions})"
            : $"CREATE TABLE {dialect.Quote(table)} (_row bigint NOT NULL, {definitions})", cancellationToken: cancellationToken));
        long row = 0;
        IRowSink? sink = null;
        try
        {
            foreach (var values in generator.Rows())
            {
                cancellationToken.ThrowIfCancellationRequested();
                sink ??= connection is NpgsqlConnection pg
                    ? new PostgresRowSink(pg, dialect, table, columns)
                    : new SqliteRowSink(connection, dialect, table, columns);
                row++;
                sink.Add(row, values);
                assessor.Observe(values);
                if (row % SqliteChunk == 0)
                {
                    if (connection is not NpgsqlConnection)
                    {
                        sink.Complete();
                        sink.Dispose();
                        sink = null;
                    }
                    await lease.RenewIfDueAsync(cancellationToken);
                }
            }
            sink?.Complete();
        }
        finally
        {
            sink?.Dispose();
        }
        if (database.Provider == DatabaseProvider.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition($"ALTER TABLE {dialect.Quote(table)} ADD PRIMARY KEY (_row)", commandTimeout: 0, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition($"ANALYZE {dialect.Quote(table)}", commandTimeout: 0, cancellationToken: cancellationToken));
        }
        return row;
    }
}
