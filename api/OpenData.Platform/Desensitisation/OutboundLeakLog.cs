using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// Records every <c>outbound.leak_masked</c> event: the <c>opendata.outbound.leaks_masked</c> counter on every read, and a
/// warning in the log naming the dataset, the column, the kind, the tenant and the count, never the value. (The audit trail
/// takes every event too.)
/// </summary>
/// <remarks>
/// The warning is a nudge to tag the column, not a record: an untagged column that holds mobiles masks something on every
/// page, and a warning per page would flood the log (and cost a busy host more than the scan itself). So the first event of a
/// (dataset, column, kind, tenant) is logged at once, and the events after it are summed and logged with the first event
/// after <see cref="Window"/> has passed, as one line with the values and reads of the whole window.
/// </remarks>
internal sealed partial class OutboundLeakLog(ILogger<OutboundLeakLog> logger, IMeterFactory meters, TimeProvider time) : IRecordReadObserver
{
    public const string MeterName = "OpenData.Desensitisation";
    public const string CounterName = "opendata.outbound.leaks_masked";

    /// <summary>How long the events of one column and kind are summed before the next warning.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Keys kept at most; past it the windows start afresh (a flood of tenants must not grow memory).</summary>
    private const int MaxKeys = 10_000;

    private readonly Counter<long> _counter = meters.Create(MeterName).CreateCounter<long>(CounterName, description: "Values the outbound check masked");
    private readonly ConcurrentDictionary<(string Dataset, string Column, PiiKind Kind, string Tenant), Pending> _pending = new();

    private sealed class Pending
    {
        public long NextLog;
        public long Values;
        public long Reads;
    }

    public ValueTask OnReadAsync(ClaimsPrincipal caller, ReadReport report, CancellationToken cancellationToken)
    {
        if (report.Sandbox || report.Leaks.Count == 0)
        {
            return ValueTask.CompletedTask;
        }
        var tenant = caller.TenantId() ?? "anonymous";
        var now = time.GetTimestamp();
        foreach (var leak in report.Leaks)
        {
            var kind = leak.Kind.ToString();
            _counter.Add(leak.Count,
                new KeyValuePair<string, object?>("dataset", report.DatasetId),
                new KeyValuePair<string, object?>("column", leak.Column),
                new KeyValuePair<string, object?>("kind", kind));
            if (_pending.Count >= MaxKeys)
            {
                _pending.Clear();
            }
            var pending = _pending.GetOrAdd((report.DatasetId, leak.Column, leak.Kind, tenant), static _ => new Pending());
            long values, reads;
            lock (pending)
            {
                pending.Values += leak.Count;
                pending.Reads++;
                if (now < pending.NextLog)
                {
                    continue;
                }
                (values, reads) = (pending.Values, pending.Reads);
                pending.Values = pending.Reads = 0;
                pending.NextLog = now + (long)(Window.TotalSeconds * time.TimestampFrequency);
            }
            LeakMasked(logger, values, kind, report.DatasetId, leak.Column, tenant, reads);
        }
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 4001, EventName = "outbound.leak_masked", Level = LogLevel.Warning,
        Message = "outbound.leak_masked: {Count} {Kind} value(s) masked in {Dataset}.{Column} for {Tenant} over {Reads} read(s) (logged at most once a minute); tag the column so the policy covers it")]
    private static partial void LeakMasked(ILogger logger, long count, string kind, string dataset, string column, string tenant, long reads);
}
