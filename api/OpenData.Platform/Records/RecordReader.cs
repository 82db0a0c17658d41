using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using System.Security.Claims;
using Dapper;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;
using OpenData.Platform.Quotas;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Records;

/// <summary>
/// The one read path (docs/architecture.md): REST pages, exports, GraphQL, and later the portal and the sandbox read here.
/// <see cref="RecordPlanner"/> checks and compiles; this class spends the caller's rows (one reservation for pages, exports and
/// GraphQL alike), executes, streams, transforms each row by the view and reports the read to the observers (audit, metering).
/// </summary>
internal sealed class RecordReader(Database database, RecordPlanner planner, IEnumerable<IRecordReadObserver> observers, IRowAllowance allowance, CursorSeal seal)
{
    /// <summary>
    /// Plans and reads one page; the entry point of REST, GraphQL and the portal. The page's rows are reserved from the
    /// caller's daily row allowance first: a page is cut to what is left today, and none left answers 429.
    /// </summary>
    public async Task<Outcome<RecordPage>> ReadPageAsync(ReadCaller caller, string datasetId, RecordRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var wanted = request.Limit ?? RecordPlanner.DefaultLimit;
        if (RecordPlanner.LimitProblem(wanted) is { } limitProblem)
        {
            return limitProblem;
        }
        var reserved = await ReserveRowsAsync(caller, datasetId, wanted, export: false, cancellationToken);
        if (reserved.Refusal is { } refusal)
        {
            return refusal;
        }
        var rows = reserved.Value!;
        var used = 0L;
        try
        {
            var page = await ReadGrantedPageAsync(caller.User, datasetId, request with { Limit = (int)rows.Granted }, cancellationToken);
            used = page.Value?.Rows.Count ?? 0;
            return page;
        }
        finally
        {
            rows.Settle(used);
        }
    }

    /// <summary>
    /// Reserves the rows of a planned export (up to the plan's <c>exportRows</c> and what is left today); settle it with the
    /// rows delivered. Refused with 429 when none are left and the version has rows.
    /// </summary>
    public Task<Outcome<RowReservation>> ReserveExportAsync(ReadCaller caller, ReadPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return ReserveRowsAsync(caller, plan.Dataset.Id, plan.Table.RowCount, export: true, cancellationToken);
    }

    /// <summary>
    /// Reserves <paramref name="rows"/> of today's row allowance for a measurement that answers that many rows (an aggregate's
    /// groups): all of them or none, so an answer is never cut; none left answers the read path's 429.
    /// </summary>
    public async Task<Outcome<RowReservation>> ReserveAllAsync(ReadCaller caller, string datasetId, long rows, CancellationToken cancellationToken)
    {
        var reserved = await ReserveRowsAsync(caller, datasetId, rows, export: false, cancellationToken);
        if (reserved.Value is { } granted && granted.Granted < rows)
        {
            QuotaTelemetry.Refused(QuotaTelemetry.RowsPolicy, caller.Quota?.Plan ?? PlanPolicy.Anonymous);
            granted.Settle(0);
            return DailyRowsExceeded(granted.RetryAfterSeconds);
        }
        return reserved;
    }

    /// <summary>The one row-quota reservation of the read path, for the subject the caller passed in.</summary>
    private async Task<Outcome<RowReservation>> ReserveRowsAsync(ReadCaller caller, string datasetId, long wanted, bool export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var rows = await allowance.ReserveAsync(caller.Quota, datasetId, wanted, export, cancellationToken);
        if (rows.Granted == 0 && wanted > 0)
        {
            QuotaTelemetry.Refused(QuotaTelemetry.RowsPolicy, caller.Quota?.Plan ?? PlanPolicy.Anonymous);
            rows.Settle(0);
            return DailyRowsExceeded(rows.RetryAfterSeconds);
        }
        return rows;
    }

    /// <summary>The 429 of a caller whose rows for today are used up.</summary>
    public static Refusal DailyRowsExceeded(long? retryAfter) =>
        new(429, Quotas.QuotasErrors.DailyExceeded, "the plan's rows for today are used up; the quota resets at midnight China Standard Time (see GET /v1/quota)")
        {
            RetryAfter = retryAfter,
        };

    private async Task<Outcome<RecordPage>> ReadGrantedPageAsync(ClaimsPrincipal caller, string datasetId, RecordRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Outcome<ReadPlan> plan;
            using (RecordsTelemetry.Start("records.plan", datasetId))
            {
                plan = await planner.PlanPageAsync(caller, datasetId, request, cancellationToken);
            }
            if (plan.Refusal is { } refusal)
            {
                return refusal;
            }
            try
            {
                return await ReadPageAsync(caller, plan.Value!, cancellationToken);
            }
            catch (DbException e) when (attempt == 1 && IsMissingTable(e))
            {
                // The cached version was dropped by publishes elsewhere in the meantime: look again.
                planner.Forget(datasetId);
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested && StoreFailures.Classify(e) == StoreFailure.StatementTimeout)
            {
                return QueryTimedOut(database.StatementTimeout);
            }
        }
    }

    /// <summary>
    /// The 503 of a statement the store stopped at <see cref="DatabaseOptions.StatementTimeoutSeconds"/>. No Retry-After: the same
    /// query is likely to run as long again, so the caller is told to make it cheaper, not to repeat it.
    /// </summary>
    public static Refusal QueryTimedOut(TimeSpan? limit) =>
        new(503, RecordsErrors.Timeout,
            $"the query ran longer than the platform's limit of {limit?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} s and was stopped: "
            + "narrow 'where' (an equality or a range instead of 'like' with a leading %), sort on fewer columns, or ask for fewer rows");

    /// <summary>Reads one page: at most <c>limit</c> rows, transformed by the view, and the cursor of the next page.</summary>
    private async Task<RecordPage> ReadPageAsync(ClaimsPrincipal caller, ReadPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var limit = plan.Limit ?? throw new ArgumentException("a page needs a limit", nameof(plan));
        var rows = new List<object?[]>(Math.Min(limit, 256));
        string? next = null;
        var keyOffset = 1;
        var selectedOffset = 1 + plan.Order.Count;
        using (RecordsTelemetry.Start("records.sql", plan.Dataset.Id))
        await using (var connection = await database.OpenForCallerQueryAsync(cancellationToken))
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(plan.Sql, plan.Parameters, cancellationToken: cancellationToken)))
        {
            object?[]? last = null;
            while (await reader.ReadAsync(cancellationToken))
            {
                if (rows.Count == limit)
                {
                    var keys = new object?[plan.Order.Count];
                    for (var i = 0; i < keys.Length; i++)
                    {
                        keys[i] = last![keyOffset + i];
                    }
                    next = seal.Seal(new RecordCursor(plan.Table.Version, plan.QueryHash, keys, (long)last![0]!).ToBytes(), plan.CursorContext);
                    break;
                }
                last = ReadRaw(reader, plan);
                rows.Add(last);
            }
        }
        var page = new List<object?[]>(rows.Count);
        using (RecordsTelemetry.Start("records.transform", plan.Dataset.Id))
        {
            foreach (var raw in rows)
            {
                var cells = raw[selectedOffset..];
                plan.Pipeline?.Apply(cells);
                page.Add(cells);
            }
        }
        await ReportAsync(caller, plan, page.Count, export: false, cancellationToken);
        return new RecordPage(plan.Selected, page, next, plan.Table.Version) { Classification = plan.Dataset.Classification };
    }

    /// <summary>Rows a reading batch of <see cref="StreamAsync"/> holds.</summary>
    private const int StreamBatchRows = 1024;

    /// <summary>Batches read ahead of the caller; with the one being read and the one being written, what an export holds at most.</summary>
    private const int StreamBatchesAhead = 2;

    /// <summary>
    /// Streams every row of the plan; the array is reused between rows, so copy what you keep. The caller reports what it sent
    /// with <see cref="ReportExportAsync"/> on every exit (completed, cut short, client gone, failed): only it knows how many
    /// rows left for the client.
    /// </summary>
    /// <remarks>
    /// Two stages on two threads: one reads the store's cells into batches of <see cref="StreamBatchRows"/> rows (a few batches
    /// ahead at most, the buffers reused), the caller's thread runs each row through the view's pipeline and writes it. The
    /// pipeline (and its outbound check) sees every row, in order, on one thread, as before; reading overlaps with it.
    /// </remarks>
    public async IAsyncEnumerable<object?[]> StreamAsync(ReadPlan plan, long? maxRows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var width = plan.Selected.Count;
        var cells = new object?[width];
        var full = Channel.CreateBounded<(object?[] Cells, int Rows)>(new BoundedChannelOptions(StreamBatchesAhead) { SingleReader = true, SingleWriter = true });
        var empty = Channel.CreateUnbounded<object?[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        for (var i = 0; i < StreamBatchesAhead + 2; i++)
        {
            empty.Writer.TryWrite(new object?[StreamBatchRows * width]);
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ExceptionDispatchInfo? failure = null;
        var reading = Task.Run(async () =>
        {
            try
            {
                await ReadBatchesAsync(plan, maxRows, full.Writer, empty.Reader, stop.Token);
            }
#pragma warning disable CA1031 // rethrown on the caller's thread
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                full.Writer.TryComplete();
            }
        }, CancellationToken.None);
        try
        {
            while (await full.Reader.WaitToReadAsync(cancellationToken))
            {
                while (full.Reader.TryRead(out var batch))
                {
                    for (var row = 0; row < batch.Rows; row++)
                    {
                        Array.Copy(batch.Cells, row * width, cells, 0, width);
                        plan.Pipeline?.Apply(cells);
                        yield return cells;
                    }
                    Array.Clear(batch.Cells);
                    empty.Writer.TryWrite(batch.Cells);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
        }
        if (failure is not null && !(failure.SourceException is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            failure.Throw();
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The reading stage of <see cref="StreamAsync"/>: fills empty batches with up to <paramref name="maxRows"/> rows and hands them on.</summary>
    private async Task ReadBatchesAsync(ReadPlan plan, long? maxRows, ChannelWriter<(object?[] Cells, int Rows)> full, ChannelReader<object?[]> empty,
        CancellationToken cancellationToken)
    {
        var width = plan.Selected.Count;
        var types = plan.Selected.Select(c => c.Type).ToArray();
        var selectedOffset = 1 + plan.Order.Count;
        long count = 0;
        await using var rows = await RowSource.OpenAsync(database, plan.Sql, plan.Parameters, cancellationToken);
        while (true)
        {
            var batch = await empty.ReadAsync(cancellationToken);
            var filled = 0;
            while (filled < StreamBatchRows && (maxRows is null || count < maxRows) && await rows.ReadAsync(cancellationToken))
            {
                var at = filled * width;
                for (var i = 0; i < width; i++)
                {
                    batch[at + i] = rows.Cell(selectedOffset + i, types[i]);
                }
                filled++;
                count++;
            }
            if (filled > 0)
            {
                await full.WriteAsync((batch, filled), cancellationToken);
            }
            if (filled < StreamBatchRows)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Tells the observers (audit, metering, leak log) how an export ended and how many rows were handed to the connection.
    /// Runs after the client may have gone, so it never takes the request's token: the report must be written whatever happened.
    /// </summary>
    public ValueTask ReportExportAsync(ClaimsPrincipal caller, ReadPlan plan, long rowsSent, string outcome) =>
        ReportAsync(caller, plan, rowsSent, export: true, CancellationToken.None, outcome);

    /// <summary>
    /// How many rows of <paramref name="table"/> share each combination of <paramref name="columns"/> as <paramref name="view"/> shows
    /// them: the database groups the stored values (one query of just those columns, streamed), then each group's cells pass through
    /// the view's pipeline, so a district is counted where the caller would see a district, not an address. Groups whose shown cells
    /// coincide arrive separately and the caller adds them up. It serves measurements (re-identification risk), never rows; a column
    /// the view hides is refused, so nothing is counted that the view does not show.
    /// </summary>
    public async IAsyncEnumerable<(object?[] Cells, long Count)> CountByAsync(
        CallerView view, DatasetVersionTable table, IReadOnlyList<ColumnDefinition> columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0 || columns.Any(c => view.VisibilityOf(c) == ColumnVisibility.Hidden))
        {
            throw new ArgumentException("count by at least one column, each visible in the view", nameof(columns));
        }
        var list = string.Join(", ", columns.Select(c => c.PhysicalName));
        var sql = $"SELECT {list}, COUNT(*) FROM {database.Dialect.Quote(table.TableName)} GROUP BY {list}";
        using var pipeline = view.PipelineFor(columns);
        await using var connection = await database.OpenForCallerQueryAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            var cells = new object?[columns.Count];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = database.Dialect.ReadCell(reader, i, columns[i].Type);
            }
            pipeline?.Apply(cells);
            yield return (cells, reader.GetInt64(columns.Count));
        }
    }

    /// <summary>Whether a read failed because its version table was dropped meanwhile (a publish elsewhere retired it).</summary>
    internal static bool IsMissingTable(DbException e) =>
        e is Npgsql.PostgresException { SqlState: "42P01" }
        || (e is Microsoft.Data.Sqlite.SqliteException && e.Message.Contains("no such table", StringComparison.Ordinal));

    private object?[] ReadRaw(DbDataReader reader, ReadPlan plan)
    {
        var raw = new object?[1 + plan.Order.Count + plan.Selected.Count];
        raw[0] = reader.GetInt64(0);
        var i = 1;
        foreach (var key in plan.Order)
        {
            raw[i] = database.Dialect.ReadCell(reader, i, key.Column.Type);
            i++;
        }
        foreach (var column in plan.Selected)
        {
            raw[i] = database.Dialect.ReadCell(reader, i, column.Type);
            i++;
        }
        return raw;
    }

    /// <summary>
    /// Tells the observers (audit, metering) of an aggregate over <paramref name="read"/>: the columns it grouped and measured, the
    /// groups it answered as rows, and the hash of its canonical query; audited as <c>aggregate.read</c>.
    /// </summary>
    public async ValueTask ReportAggregateAsync(ClaimsPrincipal caller, FilteredTable read, IReadOnlyList<string> columns, long groups, string queryHash,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var report = new ReadReport(read.Dataset.Id, read.Table.Version, columns, groups, queryHash, false, [])
        {
            OwnerId = read.Dataset.OwnerId,
            Restricted = read.Dataset.Classification != Classification.Open,
            Sandbox = caller.IsSandbox(),
            Aggregate = true,
        };
        RecordsTelemetry.Served(read.Dataset.Classification, RecordsTelemetry.Aggregate, groups);
        foreach (var observer in observers)
        {
            await observer.OnReadAsync(caller, report, cancellationToken);
        }
    }

    private async ValueTask ReportAsync(ClaimsPrincipal caller, ReadPlan plan, long rows, bool export, CancellationToken cancellationToken, string? outcome = null)
    {
        var report = new ReadReport(plan.Dataset.Id, plan.Table.Version, plan.Selected.Select(c => c.Name).ToList(), rows, Convert.ToHexStringLower(plan.QueryHash), export,
            plan.Pipeline?.Leaks ?? [])
        {
            OwnerId = plan.Dataset.OwnerId,
            Restricted = plan.Dataset.Classification != Classification.Open,
            Outcome = outcome,
            Sandbox = caller.IsSandbox(),
        };
        RecordsTelemetry.Served(plan.Dataset.Classification, export ? RecordsTelemetry.Export : RecordsTelemetry.Page, rows);
        plan.Pipeline?.Dispose();
        foreach (var observer in observers)
        {
            await observer.OnReadAsync(caller, report, cancellationToken);
        }
    }
}
