using System.Data.Common;
using Dapper;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Platform.Records;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// Answers aggregates: Records plans the filtered read (authorisation, app scope, sandbox twin, where), this checks the grouped and
/// measured columns against the caller's view, runs one GROUP BY on the version's table, spends one row of the caller's daily
/// allowance per group and reports the read to the observers (an <c>aggregate.read</c> audit entry for restricted data).
/// </summary>
internal sealed class Aggregator(Database database, RecordPlanner planner, RecordReader reader)
{
    /// <summary>The most groups one answer holds.</summary>
    public const int MaxGroups = 10_000;

    public async Task<Outcome<AggregateDocument>> AggregateAsync(ReadCaller caller, string datasetId, AggregateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var planned = await planner.PlanFilteredAsync(caller.User, datasetId, request.Where, cancellationToken);
        if (planned.Refusal is { } refusal)
        {
            return refusal;
        }
        var read = planned.Value!;
        var checkedQuery = AggregateQuery.Check(request, read.Dataset, read.View);
        if (checkedQuery.Refusal is { } invalid)
        {
            return invalid;
        }
        var query = checkedQuery.Value!;
        List<Dictionary<string, object?>> groups;
        try
        {
            groups = await RunAsync(read, query, cancellationToken);
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
        if (reserved.Refusal is { } spent)
        {
            return spent;
        }
        reserved.Value!.Settle(groups.Count);
        await reader.ReportAggregateAsync(caller.User, read, query.Columns, groups.Count, query.Hash(read, caller.User.TenantId()), cancellationToken);
        return new AggregateDocument(read.Dataset.Id, read.Table.Version, groups, AggregateDisclosure.Exact);
    }

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
            var count = Convert.ToInt64(rows.GetValue(keys.Length), System.Globalization.CultureInfo.InvariantCulture);
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

    private object? ReadMeasure(DbDataReader rows, int ordinal, Measure measure)
    {
        if (rows.IsDBNull(ordinal))
        {
            return null;
        }
        var column = measure.Column!;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return measure.Function switch
        {
            // Sums keep the column's kind: whole numbers stay whole (PostgreSQL answers numeric, SQLite integer).
            MeasureFunction.Sum when column.Type == ColumnType.Integer => Convert.ToInt64(rows.GetValue(ordinal), culture),
            MeasureFunction.Sum => Convert.ToDecimal(rows.GetValue(ordinal), culture),
            MeasureFunction.Avg => Convert.ToDouble(rows.GetValue(ordinal), culture),
            _ => database.Dialect.ReadCell(rows, ordinal, column.Type),
        };
    }
}
