using System.Diagnostics.Metrics;
using OpenData.Platform.Common;

namespace OpenData.Platform.Audit;

/// <summary>
/// The audit trail's instruments: how long an append waits until its entries are committed, how many entries a group commit
/// takes, and the chain's verifications by result (and, when broken, the kind of break, one of <see cref="AuditChainBreaks"/>).
/// </summary>
internal static class AuditTelemetry
{
    public static readonly Histogram<double> AppendDuration = PlatformTelemetry.Meter.CreateHistogram<double>("opendata.audit.append.duration", "s",
        "Time from an audit append to its entries' commit, as the appending request waits for it", advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        });

    public static readonly Histogram<long> BatchSize = PlatformTelemetry.Meter.CreateHistogram<long>("opendata.audit.append.batch_size", "{entry}",
        "Entries one group commit of the audit trail took", advice: new InstrumentAdvice<long>
        {
            HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256],
        });

    public static readonly Counter<long> Verifications = PlatformTelemetry.Meter.CreateCounter<long>("opendata.audit.verifications", "{check}",
        "Verifications of the audit chain by result (ok, broken) and kind of break");

    private static readonly KeyValuePair<string, object?> Ok = new("result", "ok");
    private static readonly KeyValuePair<string, object?> Broken = new("result", "broken");

    public static void Verified(AuditVerification verification)
    {
        if (verification.Ok)
        {
            Verifications.Add(1, Ok, new KeyValuePair<string, object?>("break", "none"));
        }
        else
        {
            Verifications.Add(1, Broken, new KeyValuePair<string, object?>("break", verification.Code ?? "unknown"));
        }
    }
}
