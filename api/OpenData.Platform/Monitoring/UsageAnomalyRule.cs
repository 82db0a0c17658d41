namespace OpenData.Platform.Monitoring;

/// <summary>
/// Whether a day's reading of a dataset by a tenant is far beyond the tenant's own habit: more than <c>Factor</c> times the median
/// of its reading days among the <c>HistoryDays</c> before, and more than <c>FloorRows</c> rows.
/// </summary>
/// <remarks>
/// The median is taken over the days on which the tenant read the dataset, not over every calendar day with the others as 0:
/// a tenant that pulls 20,000 rows every Monday has a habit of 20,000 rows a reading day, and counting its six quiet days as 0
/// would make its median 0 and every Monday an alarm. A tenant with no reading day in the window has no habit to exceed: only
/// the floor applies to it (its first large read is worth a look).
/// </remarks>
internal static class UsageAnomalyRule
{
    /// <summary>The median of the reading days (the mean of the middle two for an even count); null for no day.</summary>
    public static double? Median(IReadOnlyList<long> readingDays)
    {
        ArgumentNullException.ThrowIfNull(readingDays);
        if (readingDays.Count == 0)
        {
            return null;
        }
        var sorted = readingDays.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + (double)sorted[middle]) / 2;
    }

    public static bool IsUnusual(long rows, double? median, long floorRows, double factor) =>
        rows > floorRows && (median is not { } m || rows > factor * m);

    /// <summary>How many times the median the day's rows are (one decimal); null without a median.</summary>
    public static double? FactorOf(long rows, double? median) =>
        median is { } m and > 0 ? Math.Round(rows / m, 1, MidpointRounding.AwayFromZero) : null;
}
