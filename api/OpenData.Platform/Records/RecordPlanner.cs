using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;
using OpenData.Platform.Records.Query;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Records;

/// <summary>
/// Plans a read: parse → dataset → caller's view → columns, order, cursor → version → SQL (<see cref="RecordSql"/>). Everything
/// that can be refused is refused here, before a row is read or a quota spent; what it answers, <see cref="RecordReader"/> runs.
/// </summary>
internal sealed class RecordPlanner(Database database, DatasetDirectory directory, ICallerViewResolver views, CursorSeal seal, ITwinTables twins, IMagicDatasets magic)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Plans a page: at most <c>limit</c> rows after the cursor, through the caller's view.</summary>
    public async Task<Outcome<ReadPlan>> PlanPageAsync(ClaimsPrincipal caller, string datasetId, RecordRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = request.Limit ?? DefaultLimit;
        if (LimitProblem(limit) is { } limitProblem)
        {
            return limitProblem;
        }
        var parsed = Parse(request);
        if (parsed.Problem is not null)
        {
            return parsed.Problem;
        }
        return await PlanAsync(caller, datasetId, parsed, limit, request.Cursor, cached: true, cancellationToken);
    }

    /// <summary>Plans a whole-dataset export in row order, through the same view.</summary>
    public Task<Outcome<ReadPlan>> PlanExportAsync(ClaimsPrincipal caller, string datasetId, CancellationToken cancellationToken) =>
        PlanAsync(caller, datasetId, new ParsedRequest(null, [], null, null), null, null, cached: false, cancellationToken);

    /// <summary>The 400 of a page size outside 1..<see cref="MaxLimit"/>, or null.</summary>
    public static Refusal? LimitProblem(int limit) => limit is < 1 or > MaxLimit
        ? Refusal.BadRequest(CommonErrors.InvalidLimit, $"limit must be between 1 and {MaxLimit}; it was {limit}")
        : null;

    /// <summary>Forgets the cached dataset and version, after a read found its table dropped by a publish elsewhere.</summary>
    public void Forget(string datasetId) => directory.Forget(datasetId);

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

    private async Task<Outcome<ReadPlan>> PlanAsync(
        ClaimsPrincipal caller, string datasetId, ParsedRequest parsed, int? limit, string? cursorText, bool cached, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(caller, datasetId, cached, cancellationToken);
        if (opened.Refusal is { } closed)
        {
            return closed;
        }
        var (dataset, view, current) = opened.Value!;

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
                    return ColumnNames.Unknown(dataset, reference.Name, reference.Position);
                }
                if (view.VisibilityOf(column) == ColumnVisibility.Hidden)
                {
                    return Refusal.BadRequest(RecordsErrors.ColumnNotVisible, $"select: column '{column.Name}' is hidden for this caller (at {reference.Position})", reference.Position);
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
                return ColumnNames.Unknown(dataset, term.Column.Name, term.Column.Position);
            }
            if (!view.CanFilterOn(column))
            {
                return Refusal.BadRequest(RecordsErrors.ColumnNotFilterable,
                    $"order_by: column '{column.Name}' is {view.WhyNotFilterable(column)} and cannot be sorted on (at {term.Column.Position})", term.Column.Position);
            }
            if (order.Exists(o => o.Column == column))
            {
                return Refusal.BadRequest(RecordsErrors.Syntax, $"order_by: column '{column.Name}' is named twice (at {term.Column.Position})", term.Column.Position);
            }
            order.Add(new OrderKey(column, term.Descending));
        }

        var hash = QueryHash(parsed);
        var context = CursorContext(caller, dataset, view);
        var version = dataset.CurrentVersion!.Value;
        RecordCursor? after = null;
        if (!string.IsNullOrEmpty(cursorText))
        {
            // A cursor opens only for the dataset and the view it was sealed for: another caller's, another dataset's, an
            // altered or a hand-made one is refused alike, without saying which.
            if (seal.Open(cursorText, context) is not { } bytes || !RecordCursor.TryRead(bytes, order, database.Dialect, out after))
            {
                return Refusal.BadRequest(CommonErrors.InvalidCursor,
                    "cursor is not one this endpoint issued to this caller for this dataset and order_by: pass the previous page's 'next' unchanged");
            }
            if (!after!.Hash.AsSpan().SequenceEqual(hash))
            {
                return Refusal.BadRequest(RecordsErrors.CursorMismatch, "cursor belongs to another where/order_by: keep where and order_by as they were when the cursor was issued");
            }
            version = after.Version;
        }
        var found = await TableAsync(caller, dataset, current, version, cancellationToken);
        if (found.Refusal is { } gone)
        {
            return gone;
        }
        var table = found.Value!;

        // Compile now, so a type mismatch is a 400 before anything is streamed.
        var compiled = RecordSql.Compile(database.Dialect, dataset, view, table, selected, order, parsed.Filter, after, limit);
        if (compiled.Refusal is { } refusal)
        {
            return refusal;
        }
        return new ReadPlan
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
            Sql = compiled.Value!.Sql,
            Parameters = compiled.Value.Parameters,
        };
    }

    /// <summary>
    /// Plans a measurement over the rows <paramref name="where"/> selects in the current version, through the caller's view: the same
    /// authorisation, app scope, sandbox twin and query language as a page, but no row leaves: the caller (aggregates) groups and
    /// counts on the returned table with the returned condition. Columns it groups or measures it checks itself (<see cref="CallerView.CanFilterOn"/>).
    /// </summary>
    /// <remarks>
    /// measurementView: for a caller who may not read the rows: the narrower view its owner lets such callers measure through (disclosure-controlled
    /// aggregates), or null to refuse as a page would. The answer is then <see cref="FilteredTable.Controlled"/>.
    /// </remarks>
    public async Task<Outcome<FilteredTable>> PlanFilteredAsync(ClaimsPrincipal caller, string datasetId, string? where,
        Func<DatasetSchema, CancellationToken, Task<CallerView?>>? measurementView, CancellationToken cancellationToken)
    {
        Expr? filter = null;
        if (!string.IsNullOrWhiteSpace(where) && !QueryParser.TryParseWhere(where, out filter, out var error))
        {
            return Problem("where", error!);
        }
        var opened = await OpenAsync(caller, datasetId, cached: true, cancellationToken, measurementView);
        if (opened.Refusal is { } closed)
        {
            return closed;
        }
        var (dataset, view, current) = opened.Value!;
        var found = await TableAsync(caller, dataset, current, dataset.CurrentVersion!.Value, cancellationToken);
        if (found.Refusal is { } gone)
        {
            return gone;
        }
        var parameters = new Dapper.DynamicParameters();
        string? condition = null;
        if (filter is not null)
        {
            var text = new StringBuilder();
            if (!new FilterCompiler(dataset, view, database.Dialect, parameters).TryCompile(filter, text, out var problem))
            {
                return problem!;
            }
            condition = text.ToString();
        }
        return new FilteredTable(dataset, view, found.Value!, condition, parameters, filter is null ? "" : ExprPrinter.Print(filter)) { Controlled = !view.CanReadRows };
    }

    /// <summary>The dataset, the caller's view of it and its cached current version table, or why the caller may not read its rows.</summary>
    private async Task<Outcome<(DatasetSchema Dataset, CallerView View, DatasetVersionTable? Current)>> OpenAsync(
        ClaimsPrincipal caller, string datasetId, bool cached, CancellationToken cancellationToken,
        Func<DatasetSchema, CancellationToken, Task<CallerView?>>? measurementView = null)
    {
        if (Rehearsed(caller, datasetId) is { } rehearsed)
        {
            return rehearsed;
        }
        var (dataset, current) = cached
            ? await directory.FindForReadCachedAsync(datasetId, cancellationToken)
            : await directory.FindForReadAsync(datasetId, cancellationToken);
        if (dataset is null)
        {
            return DatasetDirectory.NotFound(datasetId);
        }
        // A bound app reads only its datasets, live or sandbox alike: refused before its view is even resolved.
        if (AppDatasetScope.Refuses(caller, dataset.Id) is { } outside)
        {
            return outside;
        }
        var view = await views.ResolveAsync(caller, dataset, cancellationToken);
        if (!view.CanReadRows && measurementView is not null && await measurementView(dataset, cancellationToken) is { } measured)
        {
            view = measured;
        }
        else if (!view.CanReadRows)
        {
            return caller.Identity?.IsAuthenticated == true
                ? new Refusal(403, RecordsErrors.GrantRequired, $"'{dataset.Id}' is {dataset.Classification.ToString().ToLowerInvariant()} data: its rows need an approved access request (POST /v1/access-requests)")
                : new Refusal(401, CommonErrors.TokenRequired, $"'{dataset.Id}' is {dataset.Classification.ToString().ToLowerInvariant()} data: sign in with an access token, then request access");
        }
        if (dataset.CurrentVersion is null)
        {
            return DatasetDirectory.NotPublished(dataset.Id);
        }

        return new Outcome<(DatasetSchema, CallerView, DatasetVersionTable?)>((dataset, view, current), null);
    }

    /// <summary>The table of <paramref name="version"/> (the sandbox twin's for a sandbox caller), or why it cannot be read.</summary>
    private async Task<Outcome<DatasetVersionTable>> TableAsync(
        ClaimsPrincipal caller, DatasetSchema dataset, DatasetVersionTable? current, int version, CancellationToken cancellationToken)
    {
        var table = current is not null && current.Version == version ? current : await directory.FindVersionAsync(dataset.Key, version, cancellationToken);
        if (table is null)
        {
            return new Refusal(410, RecordsErrors.CursorExpired, $"version {version} of '{dataset.Id}' is no longer kept: start again without a cursor");
        }
        if (caller.IsSandbox())
        {
            // A sandbox caller reads the version's synthetic twin, never its rows; same columns, same query, same view rules.
            var twin = await twins.FindAsync(dataset, table.Version, cancellationToken);
            if (twin.Table is null)
            {
                return TwinUnavailable(dataset.Id, table.Version, twin.Absence);
            }
            table = twin.Table;
        }

        return table;
    }

    /// <summary>
    /// The refusal a sandbox token's magic dataset id rehearses (<see cref="IMagicDatasets"/>), worded as the live one: a revoked grant
    /// reads as no grant at all. The quota ones are answered by admission before the read; here only when quotas are switched off.
    /// </summary>
    private Refusal? Rehearsed(ClaimsPrincipal caller, string datasetId) => magic.ReadOf(caller, datasetId) switch
    {
        MagicRead.GrantRevoked => new Refusal(403, RecordsErrors.GrantRequired,
            $"'{datasetId}' is restricted data: its rows need an approved access request (POST /v1/access-requests)"),
        MagicRead.QuotaExhausted or MagicRead.RateLimited => RecordReader.DailyRowsExceeded(null),
        _ => null,
    };

    /// <summary>The 503 (generating: retry shortly) or 409 (withheld, or none) of a sandbox read whose version has no twin to serve.</summary>
    public static Refusal TwinUnavailable(string datasetId, int version, TwinAbsence absence) => absence switch
    {
        TwinAbsence.Generating => new Refusal(503, RecordsErrors.TwinGenerating,
            $"the synthetic twin of version {version} of '{datasetId}' is being generated; sandbox reads of it start when it is ready") { RetryAfter = 5 },
        TwinAbsence.Withheld => new Refusal(409, RecordsErrors.TwinWithheld,
            $"the synthetic twin of version {version} of '{datasetId}' failed a privacy check and is not served; its owner sees why in the twin's report"),
        _ => new Refusal(409, RecordsErrors.TwinWithheld, $"version {version} of '{datasetId}' has no synthetic twin to serve to sandbox callers"),
    };

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

    private sealed record ParsedRequest(IReadOnlyList<ColumnRef>? Select, IReadOnlyList<OrderTerm> Order, Expr? Filter, Refusal? Problem);
}
