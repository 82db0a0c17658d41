using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenData.Platform.Quotas;

/// <summary>
/// Writes buffered usage and the request log every <see cref="QuotaOptions.FlushSeconds"/> and hands back idle leases; on a
/// graceful stop, all once more.
/// </summary>
internal sealed partial class UsageFlusher(UsageMeter meter, RequestLog log, DailyAllowance allowance, IOptions<QuotaOptions> options, ILogger<UsageFlusher> logger) : BackgroundService
{
    private Task? _final;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.FlushSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await meter.FlushAsync(stoppingToken);
                    await log.FlushAsync(stoppingToken);
                    await allowance.ReturnIdleAsync(all: false, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The meter keeps what it could not write; a failed round must not end the loop (a faulted background
                    // service stops the host), the next tick tries again.
                    FlushFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Flushes and hands back leases once. The host may call this twice, at once (a test harness's stop and dispose); both calls
    /// wait for the same final flush, so neither lets the services be disposed under the other.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var final = new Task<Task>(FinalAsync);
        if (Interlocked.CompareExchange(ref _final, final.Unwrap(), null) is { } running)
        {
            await running;
            return;
        }
        final.Start(TaskScheduler.Default);
        await _final;
    }

    private async Task FinalAsync()
    {
        await meter.FlushAsync(CancellationToken.None);
        await log.FlushAsync(CancellationToken.None);
        await allowance.ReturnIdleAsync(all: true, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A usage flush failed; it runs again at the next tick")]
    private static partial void FlushFailed(ILogger logger, Exception e);
}
