using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Audit;

/// <summary>
/// Takes checkpoints of the audit chain: once this node has appended <see cref="AuditOptions.CheckpointEntries"/> entries, once
/// <see cref="AuditOptions.CheckpointSeconds"/> have passed with the head moved (by any node), and on a graceful stop. Each
/// checkpoint is signed only after the chain from the previous one to the head has been checked, so a checkpoint never vouches
/// for a chain rewritten in between; a broken chain is logged as critical (event 7003) and not checkpointed.
/// </summary>
internal sealed partial class AuditCheckpointer(Database database, AuditLog audit, AuditVerifier verifier, AuditCheckpoints checkpoints,
    IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditCheckpointer> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _appendedAtLast;
    private string? _lastAlarm;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(options.Value.CheckpointSeconds);
        var lastAt = clock.GetUtcNow();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(1, options.Value.CheckpointSeconds)), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var dueByCount = audit.Appended - Interlocked.Read(ref _appendedAtLast) >= options.Value.CheckpointEntries;
                if (dueByCount || clock.GetUtcNow() - lastAt >= every)
                {
                    lastAt = clock.GetUtcNow();
                    try
                    {
                        await CheckpointAsync(stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogFailed(logger, e);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The server has drained its requests by now (it stops before the hosted services): checkpoint where the chain ends.
        try
        {
            await CheckpointAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
        }
    }

    /// <summary>Checks the chain from the last checkpoint and, if it holds and has grown, signs and publishes its head.</summary>
    public async Task<AuditCheckpoint?> CheckpointAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var appended = audit.Appended;
            var (genuine, _) = checkpoints.Read();
            var latest = genuine.Count == 0 ? null : genuine[^1];
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                var head = await connection.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition("SELECT seq, hash FROM audit_head WHERE id = 1", cancellationToken: cancellationToken));
                if (head.Seq == 0 || (latest is not null && latest.Seq == head.Seq && latest.Hash == head.Hash))
                {
                    Interlocked.Exchange(ref _appendedAtLast, appended);
                    return null;
                }
            }
            var verified = await verifier.VerifyAsync(full: false, cancellationToken);
            if (!verified.Ok)
            {
                // Checked again at the next turn of the cadence, not at every tick: a broken chain's check may walk all of it.
                Interlocked.Exchange(ref _appendedAtLast, appended);
                var alarm = verified.Code + "@" + verified.BrokenAt;
                if (alarm != _lastAlarm)
                {
                    _lastAlarm = alarm;
                    LogBroken(logger, verified.BrokenAt, verified.Code, verified.Problem);
                }
                return null;
            }
            _lastAlarm = null;
            // The head the walk ended on: entries appended since are left for the next checkpoint.
            var checkpoint = checkpoints.Sign(verified.Entries, verified.Head);
            checkpoints.Publish(checkpoint);
            Interlocked.Exchange(ref _appendedAtLast, appended);
            return checkpoint;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(EventId = 7003, EventName = "audit.chain_broken", Level = LogLevel.Critical,
        Message = "The audit chain does not hold at entry {Seq} ({Code}): {Problem}. No checkpoint is signed until it is investigated")]
    private static partial void LogBroken(ILogger logger, long? seq, string? code, string? problem);

    [LoggerMessage(EventId = 7004, EventName = "audit.checkpoint_failed", Level = LogLevel.Warning, Message = "Could not take an audit checkpoint; trying again later")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
