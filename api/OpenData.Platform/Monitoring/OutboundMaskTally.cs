using System.Collections.Concurrent;
using System.Security.Claims;
using OpenData.Platform.Datasets;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// Sums what the outbound check masked per dataset, day, column and kind in memory (a read adds to a counter, nothing more) and
/// writes the sums to <c>outbound_masks</c> with each monitoring check and before the owner's page reads them; so a column that
/// masks something on every page costs one row a day, not one per read or per value.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The semaphore never allocates a wait handle; it may still be waited on while the host stops.")]
internal sealed class OutboundMaskTally(MonitoringStore store, QuotaDay day, TimeProvider clock) : IRecordReadObserver
{
    private readonly record struct Key(string DatasetId, string OwnerId, string Day, string Column, string Kind);

    private sealed class Sum
    {
        public long Masked;
        public long Reads;
        public DateTimeOffset FirstAt;
        public DateTimeOffset LastAt;

        /// <summary>Taken by a flush: a read that still holds it adds to a fresh one instead.</summary>
        public bool Taken;
    }

    private readonly ConcurrentDictionary<Key, Sum> _pending = new();
    private readonly SemaphoreSlim _flush = new(1, 1);

    public ValueTask OnReadAsync(ClaimsPrincipal caller, ReadReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Sandbox || report.Leaks.Count == 0)
        {
            return ValueTask.CompletedTask;
        }
        var today = day.TodayKey;
        var now = clock.GetUtcNow();
        foreach (var leak in report.Leaks)
        {
            Add(new Key(report.DatasetId, report.OwnerId, today, leak.Column, leak.Kind.ToString()), leak.Count, 1, now, now);
        }
        return ValueTask.CompletedTask;
    }

    private void Add(Key key, long masked, long reads, DateTimeOffset firstAt, DateTimeOffset lastAt)
    {
        while (true)
        {
            var sum = _pending.GetOrAdd(key, static _ => new Sum());
            lock (sum)
            {
                if (sum.Taken)
                {
                    continue;
                }
                if (sum.Reads == 0 || firstAt < sum.FirstAt)
                {
                    sum.FirstAt = firstAt;
                }
                if (lastAt > sum.LastAt)
                {
                    sum.LastAt = lastAt;
                }
                sum.Masked += masked;
                sum.Reads += reads;
                return;
            }
        }
    }

    /// <summary>Writes the sums counted since the last flush; on failure they stay for the next one.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flush.WaitAsync(cancellationToken);
        try
        {
            var batch = new List<(string OwnerId, OutboundMask Mask)>();
            foreach (var key in _pending.Keys)
            {
                if (!_pending.TryRemove(key, out var sum))
                {
                    continue;
                }
                lock (sum)
                {
                    sum.Taken = true;
                    batch.Add((key.OwnerId, new OutboundMask(key.DatasetId, key.Day, key.Column, key.Kind, sum.Masked, sum.Reads, sum.FirstAt, sum.LastAt)));
                }
            }
            if (batch.Count == 0)
            {
                return;
            }
            try
            {
                await store.AddMasksAsync(batch, cancellationToken);
            }
            catch
            {
                // Nothing of the batch is known to be written: the sums go back for the next flush.
                foreach (var (ownerId, m) in batch)
                {
                    Add(new Key(m.DatasetId, ownerId, m.Day, m.Column, m.Kind), m.Masked, m.Reads, m.FirstAt, m.LastAt);
                }
                throw;
            }
        }
        finally
        {
            _flush.Release();
        }
    }
}
