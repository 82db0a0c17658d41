namespace OpenData.Sandbox.Contests;

/// <summary>
/// How scores add up. A judge's total for an entry is the weighted mean of the rubric's criteria, each normalised to its maximum,
/// on a scale of 0 to 100: Σ(weight × score / max) / Σ weight × 100. An entry's score is the mean of its judges' totals; when five
/// or more judges scored it, the highest and the lowest total are dropped first (one each). Figures are worked in decimal and
/// rounded to two decimals (half away from zero) at the end; entries rank by that rounded score, equal scores share a rank and
/// the next rank skips (1, 1, 3); an entry no judge scored has no score and no rank.
/// </summary>
internal static class Aggregation
{
    /// <summary>From this many judges on, an entry's highest and lowest totals are dropped.</summary>
    public const int TrimFrom = 5;

    /// <summary>A judge's total (0 to 100, two decimals) for the scores given, on the rubric given.</summary>
    public static double JudgeTotal(IReadOnlyList<RubricCriterion> rubric, IReadOnlyList<CriterionScore> scores) => Round(ExactTotal(rubric, scores));

    /// <summary>An entry's score from its judges' scorecards (null when none), and whether the extremes were dropped.</summary>
    public static (double? Score, bool Trimmed) EntryScore(IReadOnlyList<RubricCriterion> rubric, IReadOnlyList<IReadOnlyList<CriterionScore>> scorecards)
    {
        ArgumentNullException.ThrowIfNull(scorecards);
        if (scorecards.Count == 0)
        {
            return (null, false);
        }
        var totals = scorecards.Select(s => ExactTotal(rubric, s)).Order().ToList();
        var trimmed = totals.Count >= TrimFrom;
        var counted = trimmed ? totals[1..^1] : totals;
        return (Round(counted.Sum() / counted.Count), trimmed);
    }

    /// <summary>Competition ranks (1, 1, 3) of scores sorted from the highest; null scores get no rank.</summary>
    public static IReadOnlyList<int?> Ranks(IReadOnlyList<double?> sortedScores)
    {
        ArgumentNullException.ThrowIfNull(sortedScores);
        var ranks = new int?[sortedScores.Count];
        for (var i = 0; i < sortedScores.Count; i++)
        {
            if (sortedScores[i] is not { } score)
            {
                continue;
            }
            ranks[i] = i > 0 && sortedScores[i - 1] == score ? ranks[i - 1] : i + 1;
        }
        return ranks;
    }

    private static decimal ExactTotal(IReadOnlyList<RubricCriterion> rubric, IReadOnlyList<CriterionScore> scores)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        ArgumentNullException.ThrowIfNull(scores);
        decimal weighted = 0, weights = 0;
        foreach (var criterion in rubric)
        {
            var score = scores.FirstOrDefault(s => string.Equals(s.Criterion, criterion.Name, StringComparison.Ordinal))?.Score ?? 0;
            var weight = (decimal)criterion.Weight;
            weighted += weight * (decimal)score / (decimal)criterion.Max;
            weights += weight;
        }
        return weights == 0 ? 0 : weighted * 100 / weights;
    }

    private static double Round(decimal value) => (double)Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
