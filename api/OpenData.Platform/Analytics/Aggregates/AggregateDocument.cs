namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>
/// An aggregate's answer: one object per group with its group_by values by column name, <c>count</c>, each measure (<c>sum_x</c>,
/// <c>avg_x</c>, <c>min_x</c>, <c>max_x</c>) and <c>suppressed</c> (its measures then null); and how it was protected.
/// </summary>
internal sealed record AggregateDocument(string Dataset, int Version, IReadOnlyList<IReadOnlyDictionary<string, object?>> Groups, AggregateDisclosure Disclosure);

/// <summary>
/// How an aggregate was protected: <c>exact</c> for a caller who may read the rows (open data, a grant), with no k, noise or budget;
/// <c>controlled</c> for a caller without a grant, with k, the noise and the caller's privacy budget on this dataset today.
/// </summary>
internal sealed record AggregateDisclosure(string Mode, int? K, double? Dominance, AggregateNoise Noise, double? BudgetSpent, double? BudgetLeft)
{
    public static readonly AggregateDisclosure Exact = new("exact", null, null, AggregateNoise.None, null, null);
}

/// <summary>
/// The noise added to a controlled answer: Laplace, the query's epsilon, the scale of each statistic (<c>count</c>, <c>sum_x</c>,
/// <c>n_x</c>: the values an average divides by) and the magnitude each stays within with 95 % probability (scale × ln 20).
/// </summary>
internal sealed record AggregateNoise(string Mechanism, double Epsilon, IReadOnlyDictionary<string, double> Scales, IReadOnlyDictionary<string, double> Bound95)
{
    /// <summary>An exact answer's: mechanism <c>none</c>, no scales.</summary>
    public static readonly AggregateNoise None = new("none", 0, new Dictionary<string, double>(), new Dictionary<string, double>());
}
