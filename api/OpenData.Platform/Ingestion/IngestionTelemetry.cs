using System.Diagnostics.Metrics;
using OpenData.Platform.Common;

namespace OpenData.Platform.Ingestion;

/// <summary>Ingestion's instruments: jobs, rows and duration by outcome; a job is also a span (<c>ingestion.load</c>).</summary>
internal static class IngestionTelemetry
{
    public static readonly Counter<long> Jobs = PlatformTelemetry.Meter.CreateCounter<long>("opendata.ingestion.jobs", "{job}",
        "Ingestion jobs finished, by outcome (succeeded; rejected: the file did not pass its checks; failed: the platform could not load it)");

    public static readonly Counter<long> Rows = PlatformTelemetry.Meter.CreateCounter<long>("opendata.ingestion.rows", "{row}",
        "Rows read by ingestion jobs, by outcome (accepted, rejected)");

    public static readonly Histogram<double> Duration = PlatformTelemetry.Meter.CreateHistogram<double>("opendata.ingestion.duration", "s",
        "How long an ingestion job took from start to its outcome, by outcome", advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
        });

    private static readonly KeyValuePair<string, object?> Succeeded = new("outcome", "succeeded");
    private static readonly KeyValuePair<string, object?> Rejected = new("outcome", "rejected");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");
    private static readonly KeyValuePair<string, object?> Accepted = new("outcome", "accepted");

    /// <summary>Counts a finished job; <paramref name="platformFailed"/> when the platform, not the file, stopped it.</summary>
    public static void Finished(LoadResult result, TimeSpan took, bool platformFailed = false)
    {
        var outcome = platformFailed ? Failed : result.Succeeded ? Succeeded : Rejected;
        Jobs.Add(1, outcome);
        Duration.Record(took.TotalSeconds, outcome);
        var rejected = Math.Max(0, result.RowsRejected);
        if (result.RowsRead - rejected > 0)
        {
            Rows.Add(result.RowsRead - rejected, Accepted);
        }
        if (rejected > 0)
        {
            Rows.Add(rejected, Rejected);
        }
    }
}
