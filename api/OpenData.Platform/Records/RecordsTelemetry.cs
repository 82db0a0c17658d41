using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Records;

/// <summary>
/// The read path's instruments: rows and bytes served by the dataset's classification and the kind of read (page, export,
/// aggregate), and its spans (plan, sql, transform, write). Labels are made once here; recording allocates nothing.
/// </summary>
internal static class RecordsTelemetry
{
    public static readonly Counter<long> Rows = PlatformTelemetry.Meter.CreateCounter<long>("opendata.records.rows", "{row}",
        "Rows served by the read path, by dataset classification and read (page, export, aggregate)");

    public static readonly Counter<long> Bytes = PlatformTelemetry.Meter.CreateCounter<long>("opendata.records.bytes", "By",
        "Bytes of rows written to callers by REST pages and exports, by dataset classification and read (page, export)");

    public static readonly KeyValuePair<string, object?> Page = new("read", "page");

    public static readonly KeyValuePair<string, object?> Export = new("read", "export");

    public static readonly KeyValuePair<string, object?> Aggregate = new("read", "aggregate");

    private static readonly KeyValuePair<string, object?>[] Classes =
    [
        new("classification", "open"),
        new("classification", "restricted"),
        new("classification", "sensitive"),
    ];

    public static KeyValuePair<string, object?> Of(Classification classification) =>
        (uint)classification < (uint)Classes.Length ? Classes[(int)classification] : Classes[^1];

    public static void Served(Classification classification, KeyValuePair<string, object?> read, long rows)
    {
        if (rows > 0)
        {
            Rows.Add(rows, Of(classification), read);
        }
    }

    public static void Written(Classification classification, KeyValuePair<string, object?> read, long bytes)
    {
        if (bytes > 0)
        {
            Bytes.Add(bytes, Of(classification), read);
        }
    }

    /// <summary>A span of the read path (null, and free, when no one listens); tagged with the dataset's id, a catalogue name.</summary>
    public static Activity? Start(string name, string datasetId)
    {
        var activity = PlatformTelemetry.Source.StartActivity(name);
        activity?.SetTag("opendata.dataset", datasetId);
        return activity;
    }
}
