using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;
using OpenData.Platform.Records.Query;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Records;

/// <summary>
/// The one read path (DESIGN.md): REST pages, exports, and later GraphQL, the portal and the sandbox all plan and read here.
/// Plan: parse → dataset → caller's view → columns, filter, order, cursor → SQL. Read: stream rows, transform each by the view.
/// </summary>
public sealed class RecordReader(Database database, DatasetDirectory directory, ICallerViewResolver views, IEnumerable<IRecordReadObserver> observers,
    Quotas.IRowAllowance allowance, CursorSeal seal)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Checks a page request; everything that can be refused without the database is refused first.</summary>
    public async Task<(ReadPlan? Plan, Refusal? Problem)> PlanPageAsync(ClaimsPrincipal caller, string datasetId, RecordRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = request.Limit ?? DefaultLimit;
        if (LimitProblem(limit) is { } limitProblem)
        {
            return (null, limitProblem);
        }
        var parsed = Parse(request);
        if (parsed.Problem is not null)
        {
            return (null, parsed.Problem);
        }
        return await PlanAsync(caller, datasetId, parsed, limit, request.Cursor, cached: true, cancellationToken);
    }

    private static Refusal? LimitProblem(int limit) => limit is < 1 or > MaxLimit
        ? Refusal.BadRequest("query.invalid_limit", $"limit must be between 1 and {MaxLimit}; it was {limit}")
        : null;

    /// <summary>Plans a whole-dataset export in row order, through the same view.</summary>
    public Task<(ReadPlan? Plan, Refusal? Problem)> PlanExportAsync(ClaimsPrincipal caller, string datasetId, CancellationToken cancellationToken) =>
        PlanAsync(caller, datasetId, new ParsedRequest(null, [], null, null), null, null, cached: false, cancellationToken);

    private static ParsedRequest Parse(RecordRequest request)
    {
        IReadOnlyList<ColumnRef>? select = null;
        IReadOnlyList<OrderTerm> order = [];
        Expr? filter = null;
        QueryError? error;
        if (request.SelectList is { Count: > 0 } names)
        {
            select = names.Select((name, i) => new ColumnRef(name, i + 1, Quoted: true)).ToList();
        }
        else if (!string.IsNullOrWhiteSpace(request.Select) && !QueryParser.TryParseSelect(request.Select, out select, out error))
        {
            return new ParsedRequest(null, [], null, Problem("select", error!));
        }
        if (!string.IsNullOrWhiteSpace(request.OrderBy) && !QueryParser.TryParseOrderBy(request.OrderBy, out order, out error))
        {
            return new ParsedRequest(null, [], null, Problem("order_by", error!));
        }
        if (!string.IsNullOrWhiteSpace(request.Where) && !QueryParser.TryParseWhere(request.Where, out filter, out error))
        {
            return new ParsedRequest(null, [], null, Problem("where", error!));
        }
        return new ParsedRequest(select, order, filter, null);
    }

    private static Refusal Problem(string parameter, QueryError error) =>
        Refusal.BadRequest(error.Code, $"{parameter}: {error.Message}", error.Position > 0 ? error.Position : null);

    private async Task<(ReadPlan? Plan, Refusal? Problem)> PlanAsync(
        ClaimsPrincipal caller, string datasetId, ParsedRequest parsed, int? limit, string? cursorText, bool cached, CancellationToken cancellationToken)
    {
        var (dataset, current) = cached
            ? await directory.FindForReadCachedAsync(datasetId, cancellationToken)
            : await directory.FindForReadAsync(datasetId, cancellationToken);
        if (dataset is null)
        {
            return (null, DatasetDirectory.NotFound(datasetId));
        }
        var view = await views.ResolveAsync(caller, dataset, cancellationToken);
        if (!view.CanReadRows)
        {
            return (null, caller.Identity?.IsAuthenticated == true
                ? new Refusal(403, "access.grant_required", $"'{dataset.Id}' is {dataset.Classification.ToString().ToLowerInvariant()} data: its rows need an approved access request (POST /v1/access-requests)")
                : new Refusal(401, "auth.token_required", $"'{dataset.Id}' is {dataset.Classification.ToString().ToLowerInvariant()} data: sign in with an access token, then request access"));
        }
        if (dataset.CurrentVersion is null)
        {
            return (null, DatasetDirectory.NotPublished(dataset.Id));
        }

        var selected = new List<ColumnDefinition>();
        if (parsed.Select is null)
        {
            selected.AddRange(view.VisibleColumns);
        }
        else
        {
            foreach (var reference in parsed.Select)
            {
                var column = dataset.FindColumn(reference.Name);
                if (column is null)
                {
                    return (null, ColumnNames.Unknown(dataset, reference.Name, reference.Position));
                }
                if (view.VisibilityOf(column) == ColumnVisibility.Hidden)
                {
                    return (null, Refusal.BadRequest("query.column_not_visible", $"select: column '{column.Name}' is hidden for this caller (at {reference.Position})", reference.Position));
                }
                if (!selected.Contains(column))
                {
                    selected.Add(column);
                }
            }
        }

        var order = new List<OrderKey>();
        foreach (var term in parsed.Order)
        {
            var column = dataset.FindColumn(term.Column.Name);
            if (column is null)
            {
                return (null, ColumnNames.Unknown(dataset, term.Column.Name, term.Column.Position));
            }
            if (!view.CanFilterOn(column))
            {
                return (null, Refusal.BadRequest("query.column_not_filterable",
                    $"order_by: column '{column.Name}' is {view.WhyNotFilterable(column)} and cannot be sorted on (at {term.Column.Position})", term.Column.Position));
            }
            if (order.Exists(o => o.Column == column))
            {
                return (null, Refusal.BadRequest("query.syntax", $"order_by: column '{column.Name}' is named twice (at {term.Column.Position})", term.Column.Position));
            }
            order.Add(new OrderKey(column, term.Descending));
        }

        var hash = QueryHash(parsed);
        var context = CursorContext(caller, dataset, view);
        var version = dataset.CurrentVersion.Value;
        RecordCursor? after = null;
        if (!string.IsNullOrEmpty(cursorText))
        {
            // A cursor opens only for the dataset and the view it was sealed for: another caller's, another dataset's, an
            // altered or a hand-made one is refused alike, without saying which.
            if (seal.Open(cursorText, context) is not { } bytes || !RecordCursor.TryRead(bytes, order, database.Dialect, out after))
            {
                return (null, Refusal.BadRequest("query.invalid_cursor",
                    "cursor is not one this endpoint issued to this caller for this dataset and order_by: pass the previous page's 'next' unchanged"));
            }
            if (!after!.Hash.AsSpan().SequenceEqual(hash))
            {
                return (null, Refusal.BadRequest("query.cursor_mismatch", "cursor belongs to another where/order_by: keep where and order_by as they were when the cursor was issued"));
            }
            version = after.Version;
        }
        var table = current is not null && current.Version == version ? current : await directory.FindVersionAsync(dataset.Key, version, cancellationToken);
        if (table is null)
        {
            return (null, new Refusal(410, "query.cursor_expired", $"version {version} of '{dataset.Id}' is no longer kept: start again without a cursor"));
        }

        // Compile now, so a type mismatch is a 400 before anything is streamed.
        var parameters = new DynamicParameters();
        var compiler = new FilterCompiler(dataset, view, database.Dialect, parameters);
        var sql = BuildSql(table, selected, order, parsed.Filter, after, limit, compiler, out var problem);
        if (problem is not null)
        {
            return (null, problem);
        }
        return (new ReadPlan
        {
            Dataset = dataset,
            View = view,
            Table = table,
            Selected = selected,
            Order = order,
            Filter = parsed.Filter,
            Limit = limit,
            After = after,
            QueryHash = hash,
            CursorContext = context,
            Pipeline = view.PipelineFor(selected),
            Sql = sql!,
            Parameters = parameters,
        }, null);
    }

    private string? BuildSql(DatasetVersionTable table, List<ColumnDefinition> selected, List<OrderKey> order, Expr? filter, RecordCursor? after,
        int? limit, FilterCompiler compiler, out Refusal? problem)
    {
        problem = null;
        var sql = new StringBuilder("SELECT _row");
        foreach (var key in order)
        {
            sql.Append(", ").Append(key.Column.PhysicalName);
        }
        foreach (var column in selected)
        {
            sql.Append(", ").Append(column.PhysicalName);
        }
        sql.Append(" FROM ").Append(database.Dialect.Quote(table.TableName));
        var where = new List<string>();
        if (filter is not null)
        {
            var text = new StringBuilder();
            if (!compiler.TryCompile(filter, text, out problem))
            {
                return null;
            }
            where.Add(text.ToString());
        }
        if (after is not null)
        {
            where.Add(Keyset(order, after, compiler));
        }
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").Append(string.Join(" AND ", where.Select(w => "(" + w + ")")));
        }
        sql.Append(" ORDER BY ");
        foreach (var key in order)
        {
            sql.Append(key.Column.PhysicalName).Append(key.Descending ? " DESC NULLS LAST, " : " ASC NULLS FIRST, ");
        }
        sql.Append("_row ASC");
        if (limit is not null)
        {
            sql.Append(" LIMIT ").Append(compiler.Bind(ColumnType.Integer, (long)limit.Value + 1));
        }
        return sql.ToString();
    }

    /// <summary>
    /// Rows strictly after the cursor in (keys…, _row) order, with NULLs first when ascending and last when descending:
    /// (k1 after v1) OR (k1 = v1 AND k2 after v2) OR … OR (all equal AND _row > r).
    /// </summary>
    private static string Keyset(List<OrderKey> order, RecordCursor after, FilterCompiler compiler)
    {
        var disjuncts = new List<string>();
        var equalSoFar = new List<string>();
        for (var i = 0; i < order.Count; i++)
        {
            var column = order[i].Column;
            var value = after.Keys[i];
            string? strictlyAfter;
            if (order[i].Descending)
            {
                strictlyAfter = value is null ? null : $"({column.PhysicalName} < {compiler.Bind(column.Type, value)} OR {column.PhysicalName} IS NULL)";
            }
            else
            {
                strictlyAfter = value is null ? $"{column.PhysicalName} IS NOT NULL" : $"{column.PhysicalName} > {compiler.Bind(column.Type, value)}";
            }
            if (strictlyAfter is not null)
            {
                disjuncts.Add(string.Join(" AND ", equalSoFar.Append(strictlyAfter)));
            }
            equalSoFar.Add(value is null ? $"{column.PhysicalName} IS NULL" : $"{column.PhysicalName} = {compiler.Bind(column.Type, value)}");
        }
        disjuncts.Add(string.Join(" AND ", equalSoFar.Append($"_row > {compiler.Bind(ColumnType.Integer, after.Row)}")));
        return string.Join(" OR ", disjuncts.Select(d => "(" + d + ")"));
    }

    private static byte[] QueryHash(ParsedRequest parsed)
    {
        var text = (parsed.Filter is null ? "" : ExprPrinter.Print(parsed.Filter)) + "\n" + ExprPrinter.Print(parsed.Order);
        return SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, RecordCursor.HashLength).ToArray();
    }

    /// <summary>
    /// What a cursor is bound to besides its query: the dataset, the caller (tenant and environment) and the caller's view of
    /// every column, so a cursor stops working for anyone else and as soon as the caller's view changes (a grant narrowed or revoked).
    /// </summary>
    private static byte[] CursorContext(ClaimsPrincipal caller, DatasetSchema dataset, CallerView view)
    {
        var text = new StringBuilder("records\n").Append(dataset.Key).Append('\n')
            .Append(caller.TenantId() ?? "").Append('\n')
            .Append(caller.FindFirst(PlatformClaims.Environment)?.Value ?? "").Append('\n');
        foreach (var column in dataset.Columns)
        {
            var rule = view.RuleOf(column);
            text.Append((int)rule.Visibility).Append(rule.Scan ? 's' : 'c').Append(',');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// Plans and reads one page; the entry point of REST and GraphQL. The page's rows are reserved from the caller's daily
    /// row allowance first: a page is cut to what is left today, and none left answers 429.
    /// </summary>
    public async Task<(RecordPage? Page, Refusal? Problem)> ReadPageAsync(ClaimsPrincipal caller, string datasetId, RecordRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (LimitProblem(request.Limit ?? DefaultLimit) is { } limitProblem)
        {
            return (null, limitProblem);
        }
        var rows = await allowance.ReserveAsync(caller, datasetId, request.Limit ?? DefaultLimit, export: false, cancellationToken);
        if (rows.Granted == 0)
        {
            rows.Settle(0);
            return (null, DailyRowsExceeded());
        }
        request = request with { Limit = (int)rows.Granted };
        var used = 0L;
        try
        {
            var (page, problem) = await ReadGrantedPageAsync(caller, datasetId, request, cancellationToken);
            used = page?.Rows.Count ?? 0;
            return (page, problem);
        }
        finally
        {
            rows.Settle(used);
        }
    }

    /// <summary>The 429 of a caller whose rows for today are used up.</summary>
    public static Refusal DailyRowsExceeded() =>
        new(429, "quota.daily_exceeded", "the plan's rows for today are used up; the quota resets at midnight China Standard Time (see GET /v1/quota)");

    private async Task<(RecordPage? Page, Refusal? Problem)> ReadGrantedPageAsync(ClaimsPrincipal caller, string datasetId, RecordRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (plan, problem) = await PlanPageAsync(caller, datasetId, request, cancellationToken);
            if (problem is not null)
            {
                return (null, problem);
            }
            try
            {
                return (await ReadPageAsync(caller, plan!, cancellationToken), null);
            }
            catch (DbException e) when (attempt == 1 && IsMissingTable(e))
            {
                // The cached version was dropped by publishes elsewhere in the meantime: look again.
                directory.Forget(datasetId);
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested && StoreFailures.Classify(e) == StoreFailure.StatementTimeout)
            {
                return (null, QueryTimedOut(database.StatementTimeout));
            }
        }
    }

    /// <summary>
    /// The 503 of a statement the store stopped at <see cref="DatabaseOptions.StatementTimeoutSeconds"/>. No Retry-After: the same
    /// query is likely to run as long again, so the caller is told to make it cheaper, not to repeat it.
    /// </summary>
    public static Refusal QueryTimedOut(TimeSpan? limit) =>
        new(503, "query.timeout",
            $"the query ran longer than the platform's limit of {limit?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} s and was stopped: "
            + "narrow 'where' (an equality or a range instead of 'like' with a leading %), sort on fewer columns, or ask for fewer rows");

    /// <summary>Reads one page: at most <c>limit</c> rows, transformed by the view, and the cursor of the next page.</summary>
    public async Task<RecordPage> ReadPageAsync(ClaimsPrincipal caller, ReadPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var limit = plan.Limit ?? throw new ArgumentException("a page needs a limit", nameof(plan));
        var rows = new List<object?[]>(Math.Min(limit, 256));
        string? next = null;
        var keyOffset = 1;
        var selectedOffset = 1 + plan.Order.Count;
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
        foreach (var raw in rows)
        {
            var cells = raw[selectedOffset..];
            plan.Pipeline?.Apply(cells);
            page.Add(cells);
        }
        await ReportAsync(caller, plan, page.Count, export: false, cancellationToken);
        return new RecordPage(plan.Selected, page, next, plan.Table.Version);
    }

    /// <summary>
    /// Streams every row of the plan; the array is reused between rows, so copy what you keep. The caller reports what it sent
    /// with <see cref="ReportExportAsync"/> on every exit (completed, cut short, client gone, failed): only it knows how many
    /// rows left for the client.
    /// </summary>
    public async IAsyncEnumerable<object?[]> StreamAsync(ReadPlan plan, long? maxRows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var cells = new object?[plan.Selected.Count];
        var selectedOffset = 1 + plan.Order.Count;
        long count = 0;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(plan.Sql, plan.Parameters, cancellationToken: cancellationToken)))
        {
            while ((maxRows is null || count < maxRows) && await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = database.Dialect.ReadCell(reader, selectedOffset + i, plan.Selected[i].Type);
                }
                plan.Pipeline?.Apply(cells);
                count++;
                yield return cells;
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

    private async ValueTask ReportAsync(ClaimsPrincipal caller, ReadPlan plan, long rows, bool export, CancellationToken cancellationToken, string? outcome = null)
    {
        var report = new ReadReport(plan.Dataset.Id, plan.Table.Version, plan.Selected.Select(c => c.Name).ToList(), rows, Convert.ToHexStringLower(plan.QueryHash), export,
            plan.Pipeline?.Leaks ?? [])
        {
            OwnerId = plan.Dataset.OwnerId,
            Restricted = plan.Dataset.Classification != Classification.Open,
            Outcome = outcome,
        };
        plan.Pipeline?.Dispose();
        foreach (var observer in observers)
        {
            await observer.OnReadAsync(caller, report, cancellationToken);
        }
    }

    private sealed record ParsedRequest(IReadOnlyList<ColumnRef>? Select, IReadOnlyList<OrderTerm> Order, Expr? Filter, Refusal? Problem);
}
