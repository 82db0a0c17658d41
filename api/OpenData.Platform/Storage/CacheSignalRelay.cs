using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OpenData.Platform.Storage;

/// <summary>
/// Carries <see cref="CacheSignals"/> between the nodes of one PostgreSQL store: sends this node's signals as <c>NOTIFY</c> (several
/// in one round trip when they come together) and listens on a connection of its own (<c>LISTEN</c>, then <c>WaitAsync</c>),
/// reconnecting after a failure. After every (re)connection each cache forgets everything, since signals sent meanwhile were
/// missed. On SQLite it does nothing.
/// </summary>
internal sealed class CacheSignalRelay(Database database, CacheSignals signals, TimeProvider clock, ILogger<CacheSignalRelay> logger) : BackgroundService
{
    /// <summary>How long the listening connection waits for a signal before it checks that the server is still there.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    /// <summary>Set when the listening connection is up (for tests and the bench, which wait for it before they measure).</summary>
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this node listens (at once on SQLite, which has nothing to listen to).</summary>
    public Task Listening => _listening.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!signals.Relayed)
        {
            _listening.TrySetResult();
            return Task.CompletedTask;
        }
        return Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)await database.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => signals.Receive(e.Payload);
                await connection.ExecuteAsync(new CommandDefinition($"LISTEN {CacheSignals.Channel}", cancellationToken: stoppingToken));
                signals.ForgetEverything();
                _listening.TrySetResult();
                retry = TimeSpan.FromMilliseconds(250);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(KeepAlive, stoppingToken))
                    {
                        await connection.ExecuteAsync(new CommandDefinition("SELECT 1", cancellationToken: stoppingToken));
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
            {
                logger.LogWarning(e, "The cache signals' listening connection failed; reconnecting in {Delay} (until then, caches expire at their interval)", retry);
                try
                {
                    await Task.Delay(retry, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        var batch = new List<string>();
        try
        {
            while (await signals.Outbox.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 100 && signals.Outbox.TryRead(out var payload))
                {
                    batch.Add(payload);
                }
                try
                {
                    await using var connection = await database.OpenAsync(stoppingToken);
                    await connection.ExecuteAsync(new CommandDefinition(
                        "SELECT pg_notify(@channel, p) FROM unnest(@payloads) AS p", new { channel = CacheSignals.Channel, payloads = batch.ToArray() },
                        cancellationToken: stoppingToken));
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    // Lost: the other nodes' caches expire at their interval as before.
                    logger.LogWarning(e, "{Count} cache signal(s) could not be sent; other nodes forget at their caches' interval", batch.Count);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
