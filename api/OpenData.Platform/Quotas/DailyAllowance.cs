using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Quotas;

/// <summary>
/// Daily quotas that stay exact across nodes sharing one store, without a round trip per request. Each node leases blocks
/// of a partition's daily allowance with one atomic UPDATE that never lets the leased total pass the limit, and hands the
/// block out from memory. Blocks shrink as the day's allowance runs low (an eighth of what is left, at most
/// <see cref="QuotaOptions.MaxLeaseBlock"/> times what one take asks for), so little sits idle on one node while another refuses; idle blocks are handed
/// back after <see cref="QuotaOptions.IdleLeaseSeconds"/> and on a graceful stop. A crash loses its unused blocks: the
/// platform then admits fewer than the limit that day, never more.
/// </summary>
internal sealed partial class DailyAllowance(Database database, QuotaDay day, TimeProvider clock, IOptions<QuotaOptions> options, ILogger<DailyAllowance> logger)
{
    private readonly ConcurrentDictionary<(string Partition, string Metric), Lease> _leases = new();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The semaphore never allocates a wait handle; it may still be waited on while the host stops.")]
    private sealed class Lease
    {
        public readonly Lock Gate = new();
        public readonly SemaphoreSlim Refill = new(1, 1);
        public string Day = "";
        public long Limit = -1;
        public long Available;
        public long LeasedInStore;
        public long LastUsed;
    }

    /// <summary>Takes up to <paramref name="wanted"/> units of today's allowance; answers what was granted (0 when none is left).</summary>
    public async ValueTask<long> TakeAsync(string partition, string metric, long limit, long wanted, CancellationToken cancellationToken)
    {
        var lease = _leases.GetOrAdd((partition, metric), _ => new Lease());
        var today = day.TodayKey;
        long got;
        long handBack = 0;
        lock (lease.Gate)
        {
            if (lease.Day != today || lease.Limit != limit)
            {
                // A new day, or a changed limit (an override): what this node holds goes back, and leasing starts again.
                handBack = lease.Day == today ? lease.Available : 0;
                lease.Day = today;
                lease.Limit = limit;
                lease.Available = 0;
            }
            lease.LastUsed = clock.GetTimestamp();
            got = Math.Min(wanted, lease.Available);
            lease.Available -= got;
        }
        if (handBack > 0)
        {
            await ReturnAsync(partition, metric, today, handBack, CancellationToken.None);
        }
        if (got == wanted)
        {
            return got;
        }
        await lease.Refill.WaitAsync(cancellationToken);
        try
        {
            while (got < wanted)
            {
                lock (lease.Gate)
                {
                    var more = Math.Min(wanted - got, lease.Available);
                    lease.Available -= more;
                    got += more;
                    if (got == wanted || lease.Day != today)
                    {
                        break;
                    }
                }
                // Blocks scale with what one take asks for (a page's rows lease room for up to MaxLeaseBlock pages), so a lease is rare
                // whatever the unit; near the limit they shrink to an eighth of what is left.
                var left = Math.Max(0, limit - lease.LeasedInStore);
                var block = Math.Max(wanted - got, Math.Clamp(left / 8, 1, options.Value.MaxLeaseBlock * Math.Max(1, wanted)));
                var (granted, leased) = await LeaseAsync(partition, metric, today, limit, block, cancellationToken);
                lock (lease.Gate)
                {
                    lease.LeasedInStore = leased;
                    lease.Available += granted;
                }
                if (granted == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            lease.Refill.Release();
        }
        return got;
    }

    /// <summary>Gives back units taken but not used (rows reserved for a page that came back shorter).</summary>
    public void GiveBack(string partition, string metric, long units)
    {
        if (units <= 0 || !_leases.TryGetValue((partition, metric), out var lease))
        {
            return;
        }
        lock (lease.Gate)
        {
            if (lease.Day == day.TodayKey)
            {
                lease.Available += units;
            }
        }
    }

    /// <summary>What is left today as far as this node knows: the limit less what all nodes leased, plus this node's unused part.</summary>
    public long Remaining(string partition, string metric, long limit)
    {
        if (!_leases.TryGetValue((partition, metric), out var lease))
        {
            return limit;
        }
        lock (lease.Gate)
        {
            return lease.Day != day.TodayKey ? limit : Math.Max(0, limit - lease.LeasedInStore + lease.Available);
        }
    }

    /// <summary>Reads what all nodes leased today from the store, for <c>GET /v1/quota</c>.</summary>
    public async Task RefreshAsync(string partition, string metric, CancellationToken cancellationToken)
    {
        var lease = _leases.GetOrAdd((partition, metric), _ => new Lease());
        var today = day.TodayKey;
        await using var connection = await database.OpenAsync(cancellationToken);
        var leased = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT leased FROM quota_leases WHERE partition_key = @partition AND day = @today AND metric = @metric",
            new { partition, today, metric }, cancellationToken: cancellationToken)) ?? 0;
        lock (lease.Gate)
        {
            if (lease.Day != today)
            {
                lease.Day = today;
                lease.Available = 0;
            }
            lease.LeasedInStore = leased;
        }
    }

    /// <summary>Hands back every block not used for <see cref="QuotaOptions.IdleLeaseSeconds"/> (or all of them, on a stop).</summary>
    public async Task ReturnIdleAsync(bool all, CancellationToken cancellationToken)
    {
        var idle = (long)(options.Value.IdleLeaseSeconds * (double)clock.TimestampFrequency);
        var now = clock.GetTimestamp();
        foreach (var ((partition, metric), lease) in _leases)
        {
            long units;
            string leaseDay;
            lock (lease.Gate)
            {
                if (lease.Available == 0 || (!all && now - lease.LastUsed < idle))
                {
                    continue;
                }
                units = lease.Available;
                leaseDay = lease.Day;
                lease.Available = 0;
                lease.LeasedInStore -= units;
            }
            await ReturnAsync(partition, metric, leaseDay, units, cancellationToken);
        }
    }

    private async Task<(long Granted, long Leased)> LeaseAsync(string partition, string metric, string today, long limit, long block, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO quota_leases (partition_key, day, metric, leased, granted) VALUES (@partition, @today, @metric, 0, 0) ON CONFLICT (partition_key, day, metric) DO NOTHING",
            new { partition, today, metric }, cancellationToken: cancellationToken));
        // Both right-hand sides read the row as it was: the grant is exactly what the UPDATE added, and the total never passes the limit.
        return await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            """
            UPDATE quota_leases SET
                leased = CASE WHEN leased >= @limit THEN leased WHEN leased + @block > @limit THEN @limit ELSE leased + @block END,
                granted = CASE WHEN leased >= @limit THEN 0 WHEN leased + @block > @limit THEN @limit - leased ELSE @block END
            WHERE partition_key = @partition AND day = @today AND metric = @metric
            RETURNING granted, leased
            """,
            new { partition, today, metric, limit, block }, cancellationToken: cancellationToken));
    }

    private async Task ReturnAsync(string partition, string metric, string leaseDay, long units, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE quota_leases SET leased = CASE WHEN leased > @units THEN leased - @units ELSE 0 END WHERE partition_key = @partition AND day = @leaseDay AND metric = @metric",
                new { partition, leaseDay, metric, units }, cancellationToken: cancellationToken));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or ObjectDisposedException)
        {
            // Not handing back only means fewer admissions today, never more.
            ReturnFailed(logger, e, units, partition);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand back {Units} unused units of {Partition}'s daily allowance")]
    private static partial void ReturnFailed(ILogger logger, Exception e, long units, string partition);
}
