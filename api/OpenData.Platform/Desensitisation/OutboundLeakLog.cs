using System.Diagnostics.Metrics;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Auth;
using OpenData.Platform.Records;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// Records every <c>outbound.leak_masked</c> event: a warning in the log and the <c>opendata.outbound.leaks_masked</c> counter,
/// each naming the dataset, the column, the kind and the count, never the value. (The audit trail of issue 6 takes them too.)
/// </summary>
internal sealed partial class OutboundLeakLog(ILogger<OutboundLeakLog> logger, IMeterFactory meters) : IRecordReadObserver
{
    public const string MeterName = "OpenData.Desensitisation";
    public const string CounterName = "opendata.outbound.leaks_masked";

    private readonly Counter<long> _counter = meters.Create(MeterName).CreateCounter<long>(CounterName, description: "Values the outbound check masked");

    public ValueTask OnReadAsync(ClaimsPrincipal caller, ReadReport report, CancellationToken cancellationToken)
    {
        foreach (var leak in report.Leaks)
        {
            var kind = leak.Kind.ToString();
            LeakMasked(logger, report.DatasetId, leak.Column, kind, leak.Count, caller.TenantId() ?? "anonymous");
            _counter.Add(leak.Count,
                new KeyValuePair<string, object?>("dataset", report.DatasetId),
                new KeyValuePair<string, object?>("column", leak.Column),
                new KeyValuePair<string, object?>("kind", kind));
        }
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 4001, EventName = "outbound.leak_masked", Level = LogLevel.Warning,
        Message = "outbound.leak_masked: {Count} {Kind} value(s) masked in {Dataset}.{Column} for {Tenant}; tag the column so the policy covers it")]
    private static partial void LeakMasked(ILogger logger, string dataset, string column, string kind, long count, string tenant);
}
