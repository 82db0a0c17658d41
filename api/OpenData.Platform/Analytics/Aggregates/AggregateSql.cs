using System.Globalization;
using System.Text;
using OpenData.Platform.Records;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// The one GROUP BY statement of an aggregate, for a dialect: the group columns, COUNT(*), then each measure, from the version's
/// table, filtered by the compiled where (its values are Records' parameters, never SQL text), in group order, one group past the
/// limit so an over-large answer is refused rather than cut. Column names are the dataset's physical names, never the caller's text.
/// </summary>
internal static class AggregateSql
{
    /// <remarks>
    /// controlled: under disclosure control: instead of the measures, per measured column its sum, the sum and largest of its absolute values
    /// (the dominance rule) and its count of values, each value clipped to ±its bound (bound as a parameter).
    /// </remarks>
    public static string Compile(SqlDialect dialect, FilteredTable read, AggregateQuery query, int maxGroups, AggregateAccess? controlled = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(query);
        var keys = string.Join(", ", query.GroupBy.Select(c => c.PhysicalName));
        var sql = new StringBuilder("SELECT ");
        foreach (var column in query.GroupBy)
        {
            sql.Append(column.PhysicalName).Append(", ");
        }
        sql.Append("COUNT(*)");
        if (controlled is null)
        {
            foreach (var measure in query.Measures.Where(m => m.Column is not null))
            {
                sql.Append(", ").Append(measure.Function.ToString().ToUpperInvariant()).Append('(').Append(measure.Column!.PhysicalName).Append(')');
            }
        }
        else
        {
            var i = 0;
            foreach (var name in query.MeasuredColumns)
            {
                var column = read.Dataset.FindColumn(name)!.PhysicalName;
                var bound = "@agg_bound_" + i.ToString(CultureInfo.InvariantCulture);
                read.Parameters.Add(bound[1..], controlled.Bounds[name]);
                var clipped = $"CASE WHEN {column} > {bound} THEN {bound} WHEN {column} < -{bound} THEN -{bound} ELSE {column} END";
                sql.Append(", SUM(").Append(clipped).Append("), SUM(ABS(").Append(clipped).Append(")), MAX(ABS(").Append(clipped).Append(")), COUNT(").Append(column).Append(')');
                i++;
            }
        }
        sql.Append(" FROM ").Append(dialect.Quote(read.Table.TableName));
        if (read.Condition is not null)
        {
            sql.Append(" WHERE ").Append(read.Condition);
        }
        if (query.GroupBy.Count > 0)
        {
            sql.Append(" GROUP BY ").Append(keys).Append(" ORDER BY ")
                .AppendJoin(", ", query.GroupBy.Select(c => c.PhysicalName + " ASC NULLS FIRST"))
                .Append(" LIMIT ").Append((maxGroups + 1).ToString(CultureInfo.InvariantCulture));
        }
        return sql.ToString();
    }
}
