using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OpenData.Platform.Quotas;

/// <summary>Writes buffered usage every <see cref="QuotaOptions.FlushSeconds"/> and hands back idle leases; on a graceful stop, both once more.</summary>
internal sealed class UsageFlusher(UsageMeter meter, DailyAllowance allowance, IOptions<QuotaOptions> options) : BackgroundService
{
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

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await meter.FlushAsync(CancellationToken.None);
        await allowance.ReturnIdleAsync(all: true, CancellationToken.None);
    }
}
