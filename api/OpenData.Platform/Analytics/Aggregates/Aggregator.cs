using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using Dapper;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;
using OpenData.Platform.Quotas;
using OpenData.Platform.Records;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// Answers aggregates: Records plans the filtered read (authorisation, app scope, sandbox twin, where), this checks the grouped and
/// measured columns against the caller's view, runs one GROUP BY on the version's table, spends one row of the caller's daily
/// allowance per group and reports the read to the observers (an <c>aggregate.read</c> audit entry for restricted data). A signed-in
/// caller without a grant is answered under disclosure control when the owner switched aggregate access on (<see cref="AggregateAccess"/>).
/// </summary>
internal sealed class Aggregator(Database database, RecordPlanner planner, RecordReader reader, AggregateAccessStore store, QuotaDay day)
{
    /// <summary>The most groups one answer holds.</summary>
    public const int MaxGroups = 10_000;

    public async Task<Outcome<AggregateDocument>> AggregateAsync(ReadCaller caller, string datasetId, AggregateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        AggregateAccess? access = null;
        var planned = await planner.PlanFilteredAsync(caller.User, datasetId, request.Where, async (dataset, token) =>
        {
            if (caller.User.Identity?.IsAuthenticated != true || caller.User.TenantId() is null)
            {
                return null;
            }
            access = await store.FindAsync(dataset.Id, token);
            return access is { Enabled: true } ? MeasurementView(dataset, access) : null;
        }, cancellationToken);
        if (planned.Refusal is { } refusal)
        {
            return refusal;
        }
        var read = planned.Value!;
        var controlled = read.Controlled ? access : null;
        var checkedQuery = AggregateQuery.Check(request, read.Dataset, read.View, controlled);
        if (checkedQuery.Refusal is { } invalid)
        {
            return invalid;
        }
        var query = checkedQuery.Value!;
        var tenant = caller.User.TenantId();
        var canonical = query.Canonical(read, tenant);
        var hash = query.Hash(read, tenant);
        var disclosure = AggregateDisclosure.Exact;
        if (controlled is not null)
        {
            var (paid, spent) = await store.SpendAsync(tenant!, read.Dataset.Id, day.TodayKey, hash, controlled.Epsilon, controlled.DailyBudget, cancellationToken);
            if (!paid)
            {
                return new Refusal(429, AggregatesErrors.BudgetExhausted,
                    $"the privacy budget of {controlled.DailyBudget} for '{read.Dataset.Id}' is spent for today ({spent} used, {controlled.Epsilon} per new query); "
                    + "repeating a query already answered today costs nothing; new queries are answered again after midnight China Standard Time")
                {
                    RetryAfter = day.SecondsToReset,
                };
            }
            var scales = DisclosureControl.Scales(query, controlled);
            disclosure = new AggregateDisclosure("controlled", controlled.K, controlled.Dominance,
                new AggregateNoise("laplace", controlled.Epsilon, scales, scales.ToDictionary(s => s.Key, s => Math.Round(LaplaceNoise.Bound(s.Value, 0.95), 4), StringComparer.Ordinal)),
                Math.Round(spent, 6), Math.Round(Math.Max(0, controlled.DailyBudget - spent), 6));
        }
        List<Dictionary<string, object?>> groups;
        try
        {
            groups = controlled is null
                ? await RunAsync(read, query, cancellationToken)
                : DisclosureControl.Publish(await RunControlledAsync(read, query, controlled, cancellationToken), query, controlled, canonical);
        }
        catch (DbException e) when (!cancellationToken.IsCancellationRequested && StoreFailures.Classify(e) == StoreFailure.StatementTimeout)
        {
            return RecordReader.QueryTimedOut(database.StatementTimeout);
        }
        if (groups.Count > MaxGroups)
        {
            return Refusal.BadRequest(AggregatesErrors.TooManyGroups,
                $"group_by yields more than {MaxGroups} groups: group by fewer or coarser columns, or narrow where");
        }
        var reserved = await reader.ReserveAllAsync(caller, read.Dataset.Id, groups.Count, cancellationToken);
        if (reserved.Refusal is { } exhausted)
        {
            return exhausted;
        }
        reserved.Value!.Settle(groups.Count);
        await reader.ReportAggregateAsync(caller.User, read, query.Columns, groups.Count, hash, cancellationToken);
        return new AggregateDocument(read.Dataset.Id, read.Table.Version, groups, disclosure);
    }

    /// <summary>
    /// An analysis job's query (issue 18 part 3): planned for <paramref name="caller"/> (who may not read the rows) through the owner's view
    /// (every column in clear), checked, and when <paramref name="run"/> run on the real rows under disclosure control with
    /// <paramref name="settings"/> (the owner's aggregate access, or the defaults: k 10, dominance 85 %, epsilon 1) and any column
    /// groupable; sums and averages need the owner's bound on their column. No budget is spent and no quota: the owner's review is the gate;
    /// the noise is seeded by the query's canonical form, so the same query in another job answers the same figures.
    /// </summary>
    public async Task<Outcome<List<Dictionary<string, object?>>>> RunForReviewAsync(ClaimsPrincipal caller, string datasetId, AggregateRequest request,
        AggregateAccess? settings, bool run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        AggregateAccess? access = null;
        var planned = await planner.PlanFilteredAsync(caller, datasetId, request.Where, (dataset, _) =>
        {
            access = (settings ?? new AggregateAccess(true, AggregateAccess.DefaultK, AggregateAccess.DefaultEpsilon, AggregateAccess.DefaultDailyBudget,
                AggregateAccess.DefaultDominance, [], new Dictionary<string, double>())) with { Groupable = dataset.Columns.Select(c => c.Name).ToList() };
            return Task.FromResult<CallerView?>(new CallerView(dataset, DatasetAccess.Requestable, dataset.Columns.Select(_ => ColumnVisibility.Clear).ToArray()));
        }, cancellationToken);
        if (planned.Refusal is { } refusal)
        {
            return refusal;
        }
        var read = planned.Value!;
        if (access is null)
        {
            return Refusal.BadRequest(CommonErrors.Validation, $"'{read.Dataset.Id}' is readable row by row by this caller: an analysis job is for data it may not read");
        }
        var checkedQuery = AggregateQuery.Check(request, read.Dataset, read.View, access);
        if (checkedQuery.Refusal is { } invalid)
        {
            return invalid;
        }
        if (!run)
        {
            return new List<Dictionary<string, object?>>();
        }
        var query = checkedQuery.Value!;
        // Seeded as an aggregate is, by the query's canonical form: the same query in another job draws the same noise, so
        // submitting it again and again averages nothing away.
        var canonical = query.Canonical(read, caller.TenantId()) + "\nanalysis-job";
        var groups = DisclosureControl.Publish(await RunControlledAsync(read, query, access, cancellationToken), query, access, canonical);
        if (groups.Count > MaxGroups)
        {
            return Refusal.BadRequest(AggregatesErrors.TooManyGroups,
                $"group_by yields more than {MaxGroups} groups: group by fewer or coarser columns, or narrow where");
        }
        return groups;
    }

    /// <summary>What a caller without a grant measures through: the owner's groupable and bounded columns in clear, nothing else.</summary>
    private static CallerView MeasurementView(DatasetSchema dataset, AggregateAccess access) => new(dataset, DatasetAccess.Requestable,
        dataset.Columns.Select(c => access.Groupable.Contains(c.Name) || access.Bounds.ContainsKey(c.Name) ? ColumnVisibility.Clear : ColumnVisibility.Hidden).ToArray());

    private async Task<List<Dictionary<string, object?>>> RunAsync(FilteredTable read, AggregateQuery query, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        var sql = AggregateSql.Compile(dialect, read, query, MaxGroups);
        var groups = new List<Dictionary<string, object?>>();
        using var pipeline = read.View.PipelineFor(query.GroupBy);
        await using var connection = await database.OpenForCallerQueryAsync(cancellationToken);
        await using var rows = await connection.ExecuteReaderAsync(new CommandDefinition(sql, read.Parameters, cancellationToken: cancellationToken));
        var keys = new object?[query.GroupBy.Count];
        while (await rows.ReadAsync(cancellationToken))
        {
            var count = Convert.ToInt64(rows.GetValue(keys.Length), CultureInfo.InvariantCulture);
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = dialect.ReadCell(rows, i, query.GroupBy[i].Type);
            }
            pipeline?.Apply(keys);
            var group = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Length; i++)
            {
                group[query.GroupBy[i].Name] = keys[i];
            }
            var ordinal = keys.Length + 1;
            foreach (var measure in query.Measures)
            {
                group[measure.Name] = measure.Column is null ? count : ReadMeasure(rows, ordinal++, measure);
            }
            group["suppressed"] = false;
            groups.Add(group);
            if (groups.Count > MaxGroups)
            {
                break;
            }
        }
        return groups;
    }

    private async Task<List<RawCell>> RunControlledAsync(FilteredTable read, AggregateQuery query, AggregateAccess access, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        var sql = AggregateSql.Compile(dialect, read, query, MaxGroups, access);
        var cells = new List<RawCell>();
        var measured = query.MeasuredColumns;
        // The key text seeds a cell's noise: by column name, so the order group_by was written in changes nothing.
        var byName = Enumerable.Range(0, query.GroupBy.Count).OrderBy(i => query.GroupBy[i].Name, StringComparer.Ordinal).ToArray();
        await using var connection = await database.OpenForCallerQueryAsync(cancellationToken);
        await using var rows = await connection.ExecuteReaderAsync(new CommandDefinition(sql, read.Parameters, cancellationToken: cancellationToken));
        while (await rows.ReadAsync(cancellationToken))
        {
            var keys = new object?[query.GroupBy.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = dialect.ReadCell(rows, i, query.GroupBy[i].Type);
            }
            var count = Convert.ToInt64(rows.GetValue(keys.Length), CultureInfo.InvariantCulture);
            var values = new List<MeasuredColumn>(measured.Count);
            for (var m = 0; m < measured.Count; m++)
            {
                var at = keys.Length + 1 + 4 * m;
                values.Add(new MeasuredColumn(Number(rows, at), Number(rows, at + 1), Number(rows, at + 2), Convert.ToInt64(rows.GetValue(at + 3), CultureInfo.InvariantCulture)));
            }
            var keyText = string.Join('\u001e', byName.Select(i => query.GroupBy[i].Name + "=" + DisclosureControl.KeyPart(keys[i])));
            cells.Add(new RawCell(keys, keyText, count, values));
            if (cells.Count > MaxGroups)
            {
                break;
            }
        }
        return cells;
    }

    private static double Number(DbDataReader rows, int ordinal) =>
        rows.IsDBNull(ordinal) ? 0 : Convert.ToDouble(rows.GetValue(ordinal), CultureInfo.InvariantCulture);

    private object? ReadMeasure(DbDataReader rows, int ordinal, Measure measure)
    {
        if (rows.IsDBNull(ordinal))
        {
            return null;
        }
        var column = measure.Column!;
        return measure.Function switch
        {
            // Sums keep the column's kind: whole numbers stay whole (PostgreSQL answers numeric, SQLite integer).
            MeasureFunction.Sum when column.Type == ColumnType.Integer => Convert.ToInt64(rows.GetValue(ordinal), CultureInfo.InvariantCulture),
            MeasureFunction.Sum => Convert.ToDecimal(rows.GetValue(ordinal), CultureInfo.InvariantCulture),
            MeasureFunction.Avg => Convert.ToDouble(rows.GetValue(ordinal), CultureInfo.InvariantCulture),
            _ => database.Dialect.ReadCell(rows, ordinal, column.Type),
        };
    }
}
