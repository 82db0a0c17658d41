using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Quotas;

/// <summary>One day's usage of one tenant's app on one dataset (empty strings: anonymous caller, no app, no dataset).</summary>
internal readonly record struct UsageKey(string Tenant, string App, string Dataset, string Day);

/// <summary>
/// Usage per tenant, app, dataset and day (requests, rows, bytes, 4xx answers, 429 answers), counted in memory and written
/// to <c>usage_daily</c> by <see cref="FlushAsync"/>: every few seconds, before usage is read, and on a graceful stop.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The semaphore never allocates a wait handle; it may still be waited on while the host stops.")]
internal sealed partial class UsageMeter(Database database, QuotaDay day, ILogger<UsageMeter> logger)
{
    private string Today() => day.TodayKey;

    private readonly ConcurrentDictionary<UsageKey, Counters> _pending = new();
    private readonly SemaphoreSlim _flush = new(1, 1);

    internal sealed class Counters
    {
        public long Requests;
        public long Rows;
        public long Bytes;
        public long Errors;
        public long Throttled;
    }

    public void Record(UsageKey key, long rows, long bytes, int status)
    {
        var counters = _pending.GetOrAdd(key, _ => new Counters());
        Interlocked.Increment(ref counters.Requests);
        Interlocked.Add(ref counters.Rows, rows);
        Interlocked.Add(ref counters.Bytes, bytes);
        if (status == 429)
        {
            Interlocked.Increment(ref counters.Throttled);
        }
        else if (status is >= 400 and < 500)
        {
            Interlocked.Increment(ref counters.Errors);
        }
    }

    /// <summary>Counts rows read under a dataset other than the request's own (a GraphQL request reads from several).</summary>
    public void RecordRows(UsageKey key, long rows)
    {
        var counters = _pending.GetOrAdd(key, _ => new Counters());
        Interlocked.Add(ref counters.Rows, rows);
    }

    /// <summary>Writes what was counted since the last flush; on failure the counts stay for the next attempt.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flush.WaitAsync(cancellationToken);
        try
        {
            // Each counter is taken with an atomic exchange, so a request counting meanwhile lands in the next flush, never nowhere.
            var batch = new List<(UsageKey Key, long[] Values)>();
            foreach (var (key, c) in _pending)
            {
                long[] values =
                [
                    Interlocked.Exchange(ref c.Requests, 0), Interlocked.Exchange(ref c.Rows, 0), Interlocked.Exchange(ref c.Bytes, 0),
                    Interlocked.Exchange(ref c.Errors, 0), Interlocked.Exchange(ref c.Throttled, 0),
                ];
                if (values.Any(v => v != 0))
                {
                    batch.Add((key, values));
                }
                else if (string.CompareOrdinal(key.Day, Today()) < 0)
                {
                    _pending.TryRemove(key, out _);
                }
            }
            if (batch.Count == 0)
            {
                return;
            }
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                foreach (var (key, v) in batch)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        """
                        INSERT INTO usage_daily (tenant_id, app_id, dataset_id, day, requests, rows_read, bytes_sent, errors, throttled)
                        VALUES (@Tenant, @App, @Dataset, @Day, @requests, @rows, @bytes, @errors, @throttled)
                        ON CONFLICT (tenant_id, app_id, dataset_id, day) DO UPDATE SET
                            requests = usage_daily.requests + excluded.requests,
                            rows_read = usage_daily.rows_read + excluded.rows_read,
                            bytes_sent = usage_daily.bytes_sent + excluded.bytes_sent,
                            errors = usage_daily.errors + excluded.errors,
                            throttled = usage_daily.throttled + excluded.throttled
                        """,
                        new { key.Tenant, key.App, key.Dataset, key.Day, requests = v[0], rows = v[1], bytes = v[2], errors = v[3], throttled = v[4] },
                        transaction, cancellationToken: cancellationToken));
                }
                await transaction.CommitAsync(cancellationToken);
            }
            catch (Exception e)
            {
                // Whatever failed (the store down, a broken connection, a cancelled stop), nothing of the batch is known to be
                // written: the counts go back, to be written by the next flush. (A commit whose answer was lost may count twice;
                // counting a request twice is the lesser harm than losing it.)
                database.ReportFailure(e);
                foreach (var (key, v) in batch)
                {
                    var into = _pending.GetOrAdd(key, _ => new Counters());
                    Interlocked.Add(ref into.Requests, v[0]);
                    Interlocked.Add(ref into.Rows, v[1]);
                    Interlocked.Add(ref into.Bytes, v[2]);
                    Interlocked.Add(ref into.Errors, v[3]);
                    Interlocked.Add(ref into.Throttled, v[4]);
                }
                FlushFailed(logger, e, batch.Count);
                if (e is OperationCanceledException)
                {
                    throw;
                }
            }
        }
        finally
        {
            _flush.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write usage counts ({Keys} keys); they are kept for the next flush")]
    private static partial void FlushFailed(ILogger logger, Exception e, int keys);
}
