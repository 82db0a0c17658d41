using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Common;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// Every <see cref="MonitoringOptions.CheckSeconds"/> on the platform's clock: writes the masked-value sums and checks usage for
/// unusual reads. A background check rather than one on the read path: usage reaches the store from every node only at their
/// flushes, so the read path could not see a tenant's day across nodes without a query per read; here a check is one grouped
/// query a minute, shared by the nodes (an anomaly is stored once, whichever node sees it first). On a graceful stop the sums
/// are written once more.
/// </summary>
internal sealed partial class MonitoringWatch(UsageAnomalyDetector detector, OutboundMaskTally masks, TimeProvider clock, IOptions<MonitoringOptions> options,
    ILogger<MonitoringWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(options.Value.CheckSeconds);
        await PollingLoop.RunAsync(every, clock, CheckAsync, e => CheckFailed(logger, e), stoppingToken);
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        await masks.FlushAsync(cancellationToken);
        await detector.CheckAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await masks.FlushAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or ObjectDisposedException)
        {
            CheckFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A monitoring check failed; it runs again at the next one")]
    private static partial void CheckFailed(ILogger logger, Exception e);
}
