using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OpenData.Platform.Quotas;

/// <summary>Writes buffered usage every <see cref="QuotaOptions.FlushSeconds"/> and hands back idle leases; on a graceful stop, both once more.</summary>
internal sealed class UsageFlusher(UsageMeter meter, DailyAllowance allowance, IOptions<QuotaOptions> options) : BackgroundService
{
    private Task? _final;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.FlushSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await meter.FlushAsync(stoppingToken);
                await allowance.ReturnIdleAsync(all: false, stoppingToken);
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
        await allowance.ReturnIdleAsync(all: true, CancellationToken.None);
    }
}
