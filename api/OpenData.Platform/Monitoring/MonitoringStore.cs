using Dapper;
using OpenData.Platform.Storage;
using OpenData.Platform.Webhooks;

namespace OpenData.Platform.Monitoring;

/// <summary>The SQL of monitoring: unusual reads (<c>usage_anomalies</c>) and masked values (<c>outbound_masks</c>).</summary>
internal sealed class MonitoringStore(Database database, WebhookOutbox outbox)
{
    // Classes with setters: SQLite types an empty result's columns as blobs, which no constructor would take.
    private sealed class AnomalyRow
    {
        public string TenantId { get; set; } = "";
        public string DatasetId { get; set; } = "";
        public string Day { get; set; } = "";
        public string OwnerId { get; set; } = "";
        public long RowsRead { get; set; }
        public double? Median { get; set; }
        public DateTimeOffset RaisedAt { get; set; }
    }

    private sealed class MaskRow
    {
        public string DatasetId { get; set; } = "";
        public string Day { get; set; } = "";
        public string ColumnName { get; set; } = "";
        public string Kind { get; set; } = "";
        public long Masked { get; set; }
        public long Reads { get; set; }
        public DateTimeOffset FirstAt { get; set; }
        public DateTimeOffset LastAt { get; set; }
    }

    /// <summary>The (tenant, dataset) pairs already raised on a day.</summary>
    public async Task<HashSet<(string Tenant, string Dataset)>> RaisedOnAsync(string day, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT tenant_id, dataset_id FROM usage_anomalies WHERE day = @day", new { day }, cancellationToken: cancellationToken));
        return rows.ToHashSet();
    }

    /// <summary>
    /// Raises an anomaly once: stored, and announced to the dataset owner's webhooks as <c>usage.anomaly</c> in the same
    /// transaction. False when it was raised already (by this node or another).
    /// </summary>
    public async Task<bool> RaiseAsync(UsageAnomaly anomaly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO usage_anomalies (tenant_id, dataset_id, day, owner_id, rows_read, median, raised_at)
            VALUES (@TenantId, @DatasetId, @Day, @OwnerId, @Rows, @Median, @RaisedAt)
            ON CONFLICT (tenant_id, dataset_id, day) DO NOTHING
            """, anomaly, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return false;
        }
        await outbox.EnqueueAsync(connection, transaction, anomaly.OwnerId, WebhookEvents.UsageAnomaly, new
        {
            dataset = anomaly.DatasetId,
            tenant = anomaly.TenantId,
            day = anomaly.Day,
            rows = anomaly.Rows,
            median = anomaly.Median,
            factor = anomaly.Factor,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>An owner's anomalies from a day on, newest first.</summary>
    public async Task<IReadOnlyList<UsageAnomaly>> AnomaliesAsync(string ownerId, string fromDay, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AnomalyRow>(new CommandDefinition(
            """
            SELECT tenant_id, dataset_id, day, owner_id, rows_read, median, raised_at FROM usage_anomalies
            WHERE owner_id = @ownerId AND day >= @fromDay ORDER BY day DESC, raised_at DESC, dataset_id, tenant_id
            """, new { ownerId, fromDay }, cancellationToken: cancellationToken));
        return rows.Select(r => new UsageAnomaly(r.TenantId, r.DatasetId, r.Day, r.OwnerId, r.RowsRead, r.Median, r.RaisedAt)).ToList();
    }

    /// <summary>Adds counts of masked values to their day's sums.</summary>
    public async Task AddMasksAsync(IReadOnlyList<(string OwnerId, OutboundMask Mask)> masks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(masks);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (ownerId, m) in masks)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO outbound_masks (dataset_id, day, column_name, kind, owner_id, masked, reads, first_at, last_at)
                VALUES (@DatasetId, @Day, @Column, @Kind, @ownerId, @Masked, @Reads, @FirstAt, @LastAt)
                ON CONFLICT (dataset_id, day, column_name, kind) DO UPDATE SET
                    masked = outbound_masks.masked + excluded.masked,
                    reads = outbound_masks.reads + excluded.reads,
                    last_at = CASE WHEN excluded.last_at > outbound_masks.last_at THEN excluded.last_at ELSE outbound_masks.last_at END
                """,
                new { m.DatasetId, m.Day, m.Column, m.Kind, ownerId, m.Masked, m.Reads, m.FirstAt, m.LastAt }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The masked values in an owner's datasets from a day on, newest first.</summary>
    public async Task<IReadOnlyList<OutboundMask>> MasksAsync(string ownerId, string fromDay, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MaskRow>(new CommandDefinition(
            """
            SELECT dataset_id, day, column_name, kind, masked, reads, first_at, last_at FROM outbound_masks
            WHERE owner_id = @ownerId AND day >= @fromDay ORDER BY day DESC, last_at DESC, dataset_id, column_name, kind
            """, new { ownerId, fromDay }, cancellationToken: cancellationToken));
        return rows.Select(r => new OutboundMask(r.DatasetId, r.Day, r.ColumnName, r.Kind, r.Masked, r.Reads, r.FirstAt, r.LastAt)).ToList();
    }
}
