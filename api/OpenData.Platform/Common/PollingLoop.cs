using System.Data.Common;

namespace OpenData.Platform.Common;

/// <summary>
/// The loop of a background worker that polls the store: run the step, wait <c>poll</c> on the platform's clock, again until the
/// host stops. A database failure (or a store in a state the step cannot use) is reported and the next turn tries again.
/// </summary>
internal static class PollingLoop
{
    public static async Task RunAsync(TimeSpan poll, TimeProvider clock, Func<CancellationToken, Task> step, Action<Exception> failed, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(failed);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await step(stoppingToken);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                failed(e);
            }
            try
            {
                await Task.Delay(poll, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
