using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Quotas;

/// <summary>One metered request of a tenant as the log keeps it: the route's pattern, never the path as sent or its query string.</summary>
internal sealed record RequestLogEntry(
    DateTimeOffset At, string Tenant, string App, string Method, string Route, string Dataset, int Status, long Rows, long Bytes, int DurationMs);

/// <summary>A request read back from the log (<see cref="Id"/> orders requests of one instant).</summary>
internal sealed record LoggedRequest(
    long Id, DateTimeOffset At, string App, string Method, string Route, string Dataset, int Status, long Rows, long Bytes, int DurationMs);

/// <summary>
/// The tenants' request log (<c>request_log</c>): admission adds each metered request of a tenant to a bounded queue in memory
/// (never a wait for the store), and <see cref="FlushAsync"/> writes the queue in one transaction — every few seconds, before
/// the log is read, and on a graceful stop. What the store refuses stays queued for the next flush, up to
/// <see cref="QuotaOptions.RequestLogQueue"/> entries; past that the oldest are dropped, and the drop is logged. Entries older
/// than <see cref="RetentionDays"/> are deleted by the flush, at most once an hour.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The semaphore never allocates a wait handle; it may still be waited on while the host stops.")]
internal sealed partial class RequestLog(Database database, TimeProvider clock, IOptions<QuotaOptions> options, ILogger<RequestLog> logger)
{
    public const int RetentionDays = 7;

    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _flush = new(1, 1);
    private Queue<RequestLogEntry> _pending = new();
    private long _dropped;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    /// <summary>Entries waiting to be written (for tests and health).</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Queues one request; when the queue is full the oldest entry makes room.</summary>
    public void Add(RequestLogEntry entry)
    {
        lock (_gate)
        {
            _pending.Enqueue(entry);
            while (_pending.Count > options.Value.RequestLogQueue)
            {
                _pending.Dequeue();
                _dropped++;
            }
        }
    }

    /// <summary>Writes what was queued, then deletes what is past the retention if the last purge is an hour old.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flush.WaitAsync(cancellationToken);
        try
        {
            RequestLogEntry[] batch;
            long dropped;
            lock (_gate)
            {
                batch = [.. _pending];
                _pending.Clear();
                dropped = _dropped;
                _dropped = 0;
            }
            if (dropped > 0)
            {
                Dropped(logger, dropped, options.Value.RequestLogQueue);
            }
            if (batch.Length > 0)
            {
                await WriteAsync(batch, cancellationToken);
            }
            if (clock.GetUtcNow() - _lastPurge >= PurgeEvery)
            {
                await PurgeAsync(cancellationToken);
            }
        }
        finally
        {
            _flush.Release();
        }
    }

    private async Task WriteAsync(RequestLogEntry[] batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO request_log (at, tenant_id, app_id, method, route, dataset_id, status, rows_read, bytes_sent, duration_ms)
                VALUES (@At, @Tenant, @App, @Method, @Route, @Dataset, @Status, @Rows, @Bytes, @DurationMs)
                """,
                batch, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e)
        {
            // Nothing of the batch is known to be written: it goes back in front of what came meanwhile, the oldest dropped past the bound.
            database.ReportFailure(e);
            long dropped = 0;
            lock (_gate)
            {
                var merged = new Queue<RequestLogEntry>(batch.Concat(_pending));
                while (merged.Count > options.Value.RequestLogQueue)
                {
                    merged.Dequeue();
                    dropped++;
                }
                _pending = merged;
            }
            WriteFailed(logger, e, batch.Length, dropped);
            if (e is OperationCanceledException)
            {
                throw;
            }
        }
    }

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var before = now.AddDays(-RetentionDays);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM request_log WHERE at < @before", new { before }, cancellationToken: cancellationToken));
            _lastPurge = now;
            if (deleted > 0)
            {
                Purged(logger, deleted);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next flush tries again; until then the reader hides what is past the retention anyway.
            database.ReportFailure(e);
            PurgeFailed(logger, e);
        }
    }

    /// <summary>
    /// A tenant's requests of the last <see cref="RetentionDays"/> days, newest first, after the (<paramref name="beforeAt"/>,
    /// <paramref name="beforeId"/>) key when given; one more than <paramref name="limit"/> is read to know whether a page follows.
    /// </summary>
    public async Task<IReadOnlyList<LoggedRequest>> ReadAsync(
        string tenant, string? app, int? statusFrom, int? statusTo, DateTimeOffset? beforeAt, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().AddDays(-RetentionDays);
        var sql = new System.Text.StringBuilder(
            """
            SELECT id, at, app_id AS app, method, route, dataset_id AS dataset, status, rows_read AS rows, bytes_sent AS bytes, duration_ms AS durationMs
            FROM request_log WHERE tenant_id = @tenant AND at >= @since
            """);
        if (app is not null)
        {
            sql.Append(" AND app_id = @app");
        }
        if (statusFrom is not null)
        {
            sql.Append(" AND status >= @statusFrom AND status <= @statusTo");
        }
        if (beforeAt is not null)
        {
            sql.Append(" AND (at < @beforeAt OR (at = @beforeAt AND id < @beforeId))");
        }
        sql.Append(" ORDER BY at DESC, id DESC LIMIT @take");
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql.ToString(),
            new { tenant, since, app, statusFrom, statusTo, beforeAt, beforeId, take = limit + 1 }, cancellationToken: cancellationToken));
        return rows.Select(r => new LoggedRequest(r.Id, r.At, r.App, r.Method, r.Route, r.Dataset, r.Status, r.Rows, r.Bytes, r.DurationMs)).ToList();
    }

    /// <summary>A row as the engines answer it (integers of either width, instants through the storage's handler).</summary>
    private sealed class Row
    {
        public long Id { get; set; }
        public DateTimeOffset At { get; set; }
        public string App { get; set; } = "";
        public string Method { get; set; } = "";
        public string Route { get; set; } = "";
        public string Dataset { get; set; } = "";
        public int Status { get; set; }
        public long Rows { get; set; }
        public long Bytes { get; set; }
        public int DurationMs { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Entries} request log entries; they are kept for the next flush ({Dropped} oldest dropped past the bound)")]
    private static partial void WriteFailed(ILogger logger, Exception e, int entries, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The request log's queue was full: {Dropped} oldest entries were dropped (bound {Bound})")]
    private static partial void Dropped(ILogger logger, long dropped, int bound);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Deleted} request log entries past the retention")]
    private static partial void Purged(ILogger logger, int deleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete request log entries past the retention; the next flush tries again")]
    private static partial void PurgeFailed(ILogger logger, Exception e);
}
