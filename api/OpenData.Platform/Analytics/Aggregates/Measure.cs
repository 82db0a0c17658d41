using OpenData.Platform.Datasets;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>One measure of an aggregate: a function and, except for count, the column it measures.</summary>
internal sealed record Measure(MeasureFunction Function, ColumnDefinition? Column)
{
    /// <summary>The field it answers under in each group: <c>count</c>, <c>sum_x</c>, <c>avg_x</c>, <c>min_x</c>, <c>max_x</c>.</summary>
    public string Name => Column is null ? "count" : Function.ToString().ToLowerInvariant() + "_" + Column.Name;

    /// <summary>Whether the function can measure a column of this type: sums and averages numbers; min and max numbers and dates.</summary>
    public static bool Measures(MeasureFunction function, ColumnType type) => function switch
    {
        MeasureFunction.Sum or MeasureFunction.Avg => type is ColumnType.Integer or ColumnType.Decimal,
        MeasureFunction.Min or MeasureFunction.Max => type is ColumnType.Integer or ColumnType.Decimal or ColumnType.Date or ColumnType.Datetime,
        _ => false,
    };
}
