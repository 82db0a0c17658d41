using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenData.Platform.Common;

/// <summary>
/// The platform's one <see cref="System.Diagnostics.Metrics.Meter"/> and one <see cref="System.Diagnostics.ActivitySource"/>, both
/// named <c>OpenData</c> (docs/monitoring.md): each module makes its instruments from them once (static fields), so recording is an
/// add to a counter, never a lookup. Labels are bounded words (a route's pattern, a status class, a plan, a classification, a kind,
/// an outcome), never a value of a dataset, an id of a person or a path as sent.
/// </summary>
internal static class PlatformTelemetry
{
    public const string Name = "OpenData";

    public static readonly Meter Meter = new(Name, "1.0");

    public static readonly ActivitySource Source = new(Name, "1.0");

    /// <summary>Lookups of the read path's caches (the dataset directory, validated tokens) by cache and hit or miss.</summary>
    public static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("opendata.cache.lookups", "{lookup}",
        "Lookups of the read path's caches by cache (dataset, token) and result (hit, miss)");

    public static readonly KeyValuePair<string, object?> Hit = new("result", "hit");

    public static readonly KeyValuePair<string, object?> Miss = new("result", "miss");

    /// <summary>Counts one lookup of <paramref name="cache"/> (a label made once by its owner).</summary>
    public static void CacheLookup(KeyValuePair<string, object?> cache, bool hit) => CacheLookups.Add(1, cache, hit ? Hit : Miss);
}
