using System.Data.Common;

namespace OpenData.Platform.Common;

/// <summary>
/// The loop of a background worker that polls the store: run the step, wait <c>poll</c> on the platform's clock, again until the
/// host stops. A database failure (or a store in a state the step cannot use) is reported and the next turn tries again. A worker
/// that can be told of new work (<c>wake</c>, which completes when there is) starts its next turn then, without waiting out the poll.
/// </summary>
internal static class PollingLoop
{
    public static async Task RunAsync(TimeSpan poll, TimeProvider clock, Func<CancellationToken, Task> step, Action<Exception> failed, CancellationToken stoppingToken,
        Func<CancellationToken, Task>? wake = null)
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
                if (wake is null)
                {
                    await Task.Delay(poll, clock, stoppingToken);
                }
                else
                {
                    using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    await Task.WhenAny(Task.Delay(poll, clock, waiting.Token), wake(waiting.Token));
                    await waiting.CancelAsync();
                    stoppingToken.ThrowIfCancellationRequested();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
