using System.Text;
using Dapper;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Records.Query;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Records;

/// <summary>The statement of a read and its parameters; every value the caller wrote is a parameter, never SQL text.</summary>
internal sealed record CompiledRead(string Sql, DynamicParameters Parameters);

/// <summary>
/// Compiles a checked read to one SQL statement for a dialect: <c>_row</c>, the order keys, then the selected columns, from the
/// version's table, filtered by <c>where</c> and the keyset of the cursor, in (keys…, <c>_row</c>) order, one row past the page.
/// Pure: no database, no services; what the planner checked (columns exist, are visible, can be sorted) it does not check again.
/// </summary>
internal static class RecordSql
{
    /// <summary>The statement, or the refusal of a filter that cannot be compiled (a value of the wrong type, a hidden column).</summary>
    public static Outcome<CompiledRead> Compile(SqlDialect dialect, DatasetSchema dataset, CallerView view, DatasetVersionTable table,
        IReadOnlyList<ColumnDefinition> selected, IReadOnlyList<OrderKey> order, Expr? filter, RecordCursor? after, int? limit)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentNullException.ThrowIfNull(order);
        var parameters = new DynamicParameters();
        var compiler = new FilterCompiler(dataset, view, dialect, parameters);
        var sql = new StringBuilder("SELECT _row");
        foreach (var key in order)
        {
            sql.Append(", ").Append(key.Column.PhysicalName);
        }
        foreach (var column in selected)
        {
            sql.Append(", ").Append(column.PhysicalName);
        }
        sql.Append(" FROM ").Append(dialect.Quote(table.TableName));
        var where = new List<string>();
        if (filter is not null)
        {
            var text = new StringBuilder();
            if (!compiler.TryCompile(filter, text, out var problem))
            {
                return problem!;
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
        return new CompiledRead(sql.ToString(), parameters);
    }

    /// <summary>
    /// Rows strictly after the cursor in (keys…, _row) order, with NULLs first when ascending and last when descending:
    /// (k1 after v1) OR (k1 = v1 AND k2 after v2) OR … OR (all equal AND _row > r), behind k1 &gt;= v1 when k1 ascends.
    /// </summary>
    private static string Keyset(IReadOnlyList<OrderKey> order, RecordCursor after, FilterCompiler compiler)
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
        var keyset = string.Join(" OR ", disjuncts.Select(d => "(" + d + ")"));
        // Implied by the disjunction, but an OR is no index condition: with the bound, an index on the first sort key starts the
        // page at the cursor instead of walking every row before it (NULLs sort first when ascending, so none are after a value).
        return order.Count > 0 && !order[0].Descending && after.Keys[0] is { } first
            ? $"{order[0].Column.PhysicalName} >= {compiler.Bind(order[0].Column.Type, first)} AND ({keyset})"
            : keyset;
    }
}
