namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// An aggregate's answer: one object per group with its group_by values by column name, <c>count</c>, each measure (<c>sum_x</c>,
/// <c>avg_x</c>, <c>min_x</c>, <c>max_x</c>) and <c>suppressed</c>; and how it was protected.
/// </summary>
internal sealed record AggregateDocument(string Dataset, int Version, IReadOnlyList<IReadOnlyDictionary<string, object?>> Groups, AggregateDisclosure Disclosure);

/// <summary>
/// How an aggregate was protected: <c>exact</c> for a caller who may read the rows (open data, a grant), with no k, noise or budget;
/// <c>controlled</c> answers give their k, noise and budget.
/// </summary>
internal sealed record AggregateDisclosure(string Mode, int? K, string? Noise, double? BudgetSpent, double? BudgetLeft)
{
    public static readonly AggregateDisclosure Exact = new("exact", null, null, null, null);
}
