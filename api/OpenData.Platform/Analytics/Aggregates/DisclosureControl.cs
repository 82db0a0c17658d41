namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// Disclosure control of one aggregate for a caller who may not read the rows: primary suppression (fewer than k contributors, or
/// one contributor making more than the dominance share of a sum), secondary suppression (no line of the table — the cells that
/// differ in one group_by column only, whose total another query publishes — keeps exactly one suppressed cell, so none is the
/// difference between a total and the visible cells), then Laplace noise on what is published. Pure: no database, no clock.
/// </summary>
internal static class DisclosureControl
{
    /// <summary>The published groups, in the order of <paramref name="cells"/>.</summary>
    public static List<Dictionary<string, object?>> Publish(IReadOnlyList<RawCell> cells, AggregateQuery query, AggregateAccess access, string canonical)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(access);
        var suppressed = cells.Select(c => Primary(c, access)).ToArray();
        // Dimensions in column-name order, so the order group_by was written in suppresses nothing differently.
        var dimensions = Enumerable.Range(0, query.GroupBy.Count).OrderBy(d => query.GroupBy[d].Name, StringComparer.Ordinal).ToArray();
        Secondary(cells, suppressed, dimensions);
        var scales = Scales(query, access);
        var measured = query.MeasuredColumns.ToList();
        var groups = new List<Dictionary<string, object?>>(cells.Count);
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var group = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var d = 0; d < query.GroupBy.Count; d++)
            {
                group[query.GroupBy[d].Name] = cell.Keys[d];
            }
            var noisyCount = Math.Max(0, Math.Round(cell.Count + LaplaceNoise.Draw(canonical, cell.KeyText, "count", scales["count"])));
            foreach (var measure in query.Measures)
            {
                if (suppressed[i])
                {
                    group[measure.Name] = null;
                    continue;
                }
                if (measure.Column is null)
                {
                    group[measure.Name] = (long)noisyCount;
                    continue;
                }
                var m = cell.Measured[measured.IndexOf(measure.Column.Name)];
                var sum = m.Sum + LaplaceNoise.Draw(canonical, cell.KeyText, "sum_" + measure.Column.Name, scales["sum_" + measure.Column.Name]);
                if (measure.Function == MeasureFunction.Sum)
                {
                    group[measure.Name] = Math.Round(sum, 2);
                }
                else
                {
                    var values = Math.Max(1, Math.Round(m.Values + LaplaceNoise.Draw(canonical, cell.KeyText, "n_" + measure.Column.Name, scales["n_" + measure.Column.Name])));
                    group[measure.Name] = Math.Round(sum / values, 4);
                }
            }
            group["suppressed"] = suppressed[i];
            groups.Add(group);
        }
        return groups;
    }

    /// <summary>
    /// The Laplace scale of each statistic: the query's epsilon is split evenly over its statistics (a count, and per measured
    /// column a clipped sum and a count of values); a count's sensitivity is 1, a clipped sum's its column's bound.
    /// </summary>
    public static Dictionary<string, double> Scales(AggregateQuery query, AggregateAccess access)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(access);
        var measured = query.MeasuredColumns;
        var perStatistic = access.Epsilon / (1 + 2 * measured.Count);
        var scales = new Dictionary<string, double>(StringComparer.Ordinal) { ["count"] = 1 / perStatistic };
        foreach (var column in measured)
        {
            scales["sum_" + column] = access.Bounds[column] / perStatistic;
            scales["n_" + column] = 1 / perStatistic;
        }
        return scales;
    }

    private static bool Primary(RawCell cell, AggregateAccess access) =>
        cell.Count < access.K || cell.Measured.Any(m => m.SumAbs > 0 && m.MaxAbs > access.Dominance / 100 * m.SumAbs);

    /// <summary>
    /// For each group_by column, the cells that agree on every other column form a line whose total a query without that column
    /// publishes; a line with exactly one suppressed cell gets its smallest visible cell suppressed too. Repeated until no line
    /// changes, since a suppression in one direction can leave a single one in another.
    /// </summary>
    private static void Secondary(IReadOnlyList<RawCell> cells, bool[] suppressed, int[] dimensions)
    {
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var d in dimensions.Length == 0 ? [0] : dimensions)
            {
                var lines = Enumerable.Range(0, cells.Count).GroupBy(i => LineKey(cells[i], d, dimensions.Length)).OrderBy(l => l.Key, StringComparer.Ordinal);
                foreach (var line in lines)
                {
                    var members = line.ToList();
                    if (members.Count(i => suppressed[i]) != 1 || members.Count < 2)
                    {
                        continue;
                    }
                    var smallest = members.Where(i => !suppressed[i]).OrderBy(i => cells[i].Count).ThenBy(i => cells[i].KeyText, StringComparer.Ordinal).First();
                    suppressed[smallest] = true;
                    changed = true;
                }
            }
        }
    }

    private static string LineKey(RawCell cell, int without, int dimensions)
    {
        var parts = new string[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            parts[d] = d == without ? "*" : KeyPart(cell.Keys[d]);
        }
        return string.Join('\u001f', parts);
    }

    /// <summary>A key cell as canonical text: invariant culture, null distinct from any text.</summary>
    public static string KeyPart(object? value) => value is null ? "\u0000" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
