using OpenData.Platform.Common;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>Error codes of aggregates (<c>GET /v1/datasets/{id}/aggregate</c>, GraphQL's <c>Dataset.aggregate</c>).</summary>
internal static class AggregatesErrors
{
    [ErrorCode(400, "group_by is malformed or names more columns than allowed, or the same column twice")]
    public const string InvalidGroupBy = "aggregate.invalid_group_by";

    [ErrorCode(400, "a measure is not count, sum(col), avg(col), min(col) or max(col), or its column is not of a type it can measure (numbers; dates for min and max)")]
    public const string InvalidMeasure = "aggregate.invalid_measure";

    [ErrorCode(400, "group_by or a measure names a column this caller does not see in clear (masked, pseudonymised, hidden or suspected): it cannot be grouped or measured")]
    public const string ColumnNotGroupable = "aggregate.column_not_groupable";

    [ErrorCode(400, "the grouping yields more groups than one answer holds: group by fewer or coarser columns, or narrow where")]
    public const string TooManyGroups = "aggregate.too_many_groups";

    [ErrorCode(429, "without a grant: the caller's privacy budget for this dataset is spent for today; a query already answered today is still answered; Retry-After says when the budget renews (midnight China Standard Time)")]
    public const string BudgetExhausted = "aggregate.budget_exhausted";
}
