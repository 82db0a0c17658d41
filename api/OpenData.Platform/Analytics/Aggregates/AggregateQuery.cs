using System.Security.Cryptography;
using System.Text;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Records;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// A checked aggregate: the columns it groups by and the measures it computes, each on a column the caller sees in clear. Its
/// canonical form (dataset, version, columns by their declared names, measures, the printed where, the caller's tenant) names the
/// query whatever its spelling: the audit's query hash, and what seeds its noise and counts against a budget.
/// </summary>
internal sealed record AggregateQuery(IReadOnlyList<ColumnDefinition> GroupBy, IReadOnlyList<Measure> Measures)
{
    /// <summary>At most this many group_by columns.</summary>
    public const int MaxGroupColumns = 5;

    /// <summary>At most this many measures.</summary>
    public const int MaxMeasures = 20;

    /// <summary>
    /// Checks a request against the dataset and the caller's view; the where clause is Records' to check. Under disclosure control
    /// (<paramref name="controlled"/>: the owner's aggregate access), only its groupable columns are grouped, only its bounded columns
    /// summed or averaged, and min and max (an individual's value) are refused.
    /// </summary>
    public static Outcome<AggregateQuery> Check(AggregateRequest request, DatasetSchema dataset, CallerView view, AggregateAccess? controlled = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(view);
        var groupBy = new List<ColumnDefinition>();
        foreach (var name in Split(request.GroupBy))
        {
            if (name.Length == 0)
            {
                return Refusal.BadRequest(AggregatesErrors.InvalidGroupBy, "group_by: an empty column name; write group_by=a,b");
            }
            var column = dataset.FindColumn(name);
            if (column is null)
            {
                return ColumnNames.Unknown(dataset, name, 0);
            }
            if (NotInClear(view, column, "group_by") is { } hidden)
            {
                return hidden;
            }
            if (controlled is not null && !controlled.Groupable.Contains(column.Name))
            {
                return Refusal.BadRequest(AggregatesErrors.ColumnNotGroupable,
                    $"group_by: column '{column.Name}' is not one the owner lets be grouped without a grant; groupable: {string.Join(", ", controlled.Groupable)}");
            }
            if (groupBy.Contains(column))
            {
                return Refusal.BadRequest(AggregatesErrors.InvalidGroupBy, $"group_by: column '{column.Name}' is named twice");
            }
            groupBy.Add(column);
        }
        if (groupBy.Count > MaxGroupColumns)
        {
            return Refusal.BadRequest(AggregatesErrors.InvalidGroupBy, $"group_by: at most {MaxGroupColumns} columns; it named {groupBy.Count}");
        }

        var measures = new List<Measure>();
        var texts = Split(request.Measures).ToList();
        if (texts.Count == 0)
        {
            texts.Add("count");
        }
        foreach (var text in texts)
        {
            var parsed = ParseMeasure(text, dataset, view);
            if (parsed.Refusal is { } refusal)
            {
                return refusal;
            }
            var measure = parsed.Value!;
            if (controlled is not null && measure.Column is not null && (measure.Function is MeasureFunction.Min or MeasureFunction.Max || !controlled.Bounds.ContainsKey(measure.Column.Name)))
            {
                return Refusal.BadRequest(AggregatesErrors.InvalidMeasure, measure.Function is MeasureFunction.Min or MeasureFunction.Max
                    ? $"measures: '{text}': without a grant, min and max (one person's value) are not answered; count, sum and avg are"
                    : $"measures: '{text}': the owner has not bounded '{measure.Column.Name}', so it cannot be measured without a grant; measurable: {string.Join(", ", controlled.Bounds.Keys)}");
            }
            if (measures.Exists(m => m.Name == measure.Name))
            {
                return Refusal.BadRequest(AggregatesErrors.InvalidMeasure, $"measures: '{text}' is asked twice");
            }
            if (groupBy.Exists(c => c.Name == measure.Name) || groupBy.Exists(c => c.Name == "suppressed"))
            {
                return Refusal.BadRequest(AggregatesErrors.InvalidGroupBy, $"group_by: a column named '{measure.Name}' or 'suppressed' would clash with the answer's fields");
            }
            measures.Add(measure);
        }
        if (measures.Count > MaxMeasures)
        {
            return Refusal.BadRequest(AggregatesErrors.InvalidMeasure, $"measures: at most {MaxMeasures}; it asked {measures.Count}");
        }
        return new AggregateQuery(groupBy, measures);
    }

    /// <summary>Every column the query reads, grouped or measured, by declared name, each once.</summary>
    public IReadOnlyList<string> Columns =>
        GroupBy.Select(c => c.Name).Concat(Measures.Where(m => m.Column is not null).Select(m => m.Column!.Name)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The columns summed or averaged, each once, in the order first asked.</summary>
    public IReadOnlyList<string> MeasuredColumns =>
        Measures.Where(m => m.Function is MeasureFunction.Sum or MeasureFunction.Avg).Select(m => m.Column!.Name).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The canonical text of the query for a caller's tenant over one version: the same whatever the spacing, case or order of measures.</summary>
    public string Canonical(FilteredTable read, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(read);
        return new StringBuilder("aggregate\n").Append(read.Dataset.Key).Append('\n').Append(read.Table.Version).Append('\n')
            .AppendJoin(',', GroupBy.Select(c => c.Name).Order(StringComparer.Ordinal)).Append('\n')
            .AppendJoin(',', Measures.Select(m => m.Name).Order(StringComparer.Ordinal)).Append('\n')
            .Append(read.CanonicalWhere).Append('\n')
            .Append(tenant ?? "").ToString();
    }

    /// <summary>The SHA-256 of <see cref="Canonical"/>, in lower-case hex.</summary>
    public string Hash(FilteredTable read, string? tenant) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(read, tenant))));

    private static IEnumerable<string> Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Split(',').Select(s => s.Trim());

    private static Outcome<Measure> ParseMeasure(string text, DatasetSchema dataset, CallerView view)
    {
        if (text.Equals("count", StringComparison.OrdinalIgnoreCase) || text.Equals("count(*)", StringComparison.OrdinalIgnoreCase))
        {
            return new Measure(MeasureFunction.Count, null);
        }
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || !text.EndsWith(')') || !Enum.TryParse<MeasureFunction>(text[..open].Trim(), ignoreCase: true, out var function)
            || function == MeasureFunction.Count || !char.IsLetter(text[0]))
        {
            return Refusal.BadRequest(AggregatesErrors.InvalidMeasure, $"measures: '{text}' is not count, sum(col), avg(col), min(col) or max(col)");
        }
        var name = text[(open + 1)..^1].Trim();
        var column = dataset.FindColumn(name);
        if (column is null)
        {
            return ColumnNames.Unknown(dataset, name, 0);
        }
        if (NotInClear(view, column, "measures") is { } hidden)
        {
            return hidden;
        }
        if (!Measure.Measures(function, column.Type))
        {
            return Refusal.BadRequest(AggregatesErrors.InvalidMeasure,
                $"measures: {function.ToString().ToLowerInvariant()}({column.Name}) cannot measure a {column.Type.ToString().ToLowerInvariant()} column: sum and avg take numbers, min and max numbers and dates");
        }
        return new Measure(function, column);
    }

    private static Refusal? NotInClear(CallerView view, ColumnDefinition column, string parameter) => view.CanFilterOn(column)
        ? null
        : Refusal.BadRequest(AggregatesErrors.ColumnNotGroupable,
            $"{parameter}: column '{column.Name}' is {view.WhyNotFilterable(column)}; only columns seen in clear can be grouped or measured");
}
