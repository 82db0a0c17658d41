using System.Globalization;

namespace OpenData.Platform.Common;

/// <summary>
/// A node's claim on one piece of background work (a twin, an ingestion job) whose row carries <c>lease_owner</c> and
/// <c>lease_until</c>: renewed at a third of its length through <c>renew</c> (the store's conditional update, false once another
/// node took the work over or it was requeued), so a node that dies loses the work after at most one lease and another takes it.
/// Work done in steps renews between steps (<see cref="RenewIfDueAsync"/>); work that runs on a thread of its own is watched by
/// <see cref="KeepAsync"/>, which cancels it when the lease is lost.
/// </summary>
internal sealed class WorkLease(Func<CancellationToken, Task<bool>> renew, TimeSpan length, TimeProvider clock)
{
    private DateTimeOffset _renewed = clock.GetUtcNow();

    /// <summary>How long the work stays this node's after a renewal.</summary>
    public TimeSpan Length => length;

    /// <summary>A name for this node's leases, unique per worker (two hosts in one process are two nodes), at most 64 characters.</summary>
    public static string NewHolder()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{Guid.NewGuid():N}/{Environment.ProcessId}/{Environment.MachineName}");
        return name[..Math.Min(name.Length, 64)];
    }

    /// <summary>Renews the lease when a third of it has passed; throws <see cref="WorkLeaseLostException"/> when it was lost.</summary>
    public async Task RenewIfDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - _renewed < length / 3)
        {
            return;
        }
        if (!await renew(cancellationToken))
        {
            throw new WorkLeaseLostException();
        }
        _renewed = now;
    }

    /// <summary>
    /// Renews the lease every third of its length until <paramref name="cancellationToken"/> ends (the work is done); returns
    /// false, after cancelling <paramref name="lost"/>, as soon as a renewal finds the work taken over. A renewal the store could
    /// not answer (down for a moment) is tried again at the next turn: the lease still runs until its end.
    /// </summary>
    public async Task<bool> KeepAsync(CancellationTokenSource lost, Action<Exception>? failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lost);
        while (true)
        {
            try
            {
                await Task.Delay(length / 3, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return true;
            }
            try
            {
                if (!await renew(cancellationToken))
                {
                    await lost.CancelAsync();
                    return false;
                }
                _renewed = clock.GetUtcNow();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return true;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                failed?.Invoke(e);
            }
        }
    }
}
