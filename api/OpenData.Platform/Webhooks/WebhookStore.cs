using Dapper;
using Npgsql;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Webhooks;

/// <summary>A webhook as stored; <c>Secret</c> is sealed under the key ring and <c>Events</c> a JSON array of event names.</summary>
internal sealed class WebhookRow
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public string Events { get; set; } = "[]";
    public DateTimeOffset CreatedAt { get; set; }
    public string Environment { get; set; } = WebhookEnvironments.Live;
}

/// <summary>One delivery of the log as stored; <c>Payload</c> is the JSON body that was (or will be) POSTed.</summary>
internal sealed class DeliveryRow
{
    public string Id { get; set; } = "";
    public string Event { get; set; } = "";
    public string Status { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int? LastStatus { get; set; }
    public string? LastError { get; set; }
    public string Payload { get; set; } = "{}";
}

/// <summary>What a redelivery came to: queued (with the new delivery), or why not.</summary>
internal enum RedeliveryResult
{
    Queued,
    NoWebhook,
    NoDelivery,
    Stopped,
}

/// <summary>
/// The SQL of the webhook routes over <c>webhooks</c> and <c>webhook_deliveries</c>. Every query for a tenant's webhooks names the
/// tenant and the caller's environment in its WHERE clause: a sandbox app's token sees and touches the sandbox webhooks only, and a live one the live ones. (The outbox writes inside its caller's transaction and the delivery worker claims due rows on its own;
/// their SQL stays with them, <see cref="WebhookOutbox"/> and <see cref="WebhookDelivery"/>.)
/// </summary>
internal sealed class WebhookStore(Database database)
{
    /// <summary>How many deliveries the log shows, newest first.</summary>
    public const int DeliveryLogLength = 200;

    public async Task InsertAsync(WebhookRow webhook, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO webhooks (id, tenant_id, url, secret, events, created_at, environment) VALUES (@Id, @TenantId, @Url, @Secret, @Events, @CreatedAt, @Environment)",
            webhook, cancellationToken: cancellationToken));
    }

    /// <summary>The tenant's active webhooks of one environment (their secrets left out), oldest first.</summary>
    public async Task<IReadOnlyList<WebhookRow>> ListAsync(string tenant, string environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<WebhookRow>(new CommandDefinition(
            "SELECT id, url, events, created_at, environment FROM webhooks WHERE tenant_id = @tenant AND environment = @environment AND disabled_at IS NULL ORDER BY created_at",
            new { tenant, environment }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Stops the tenant's active webhook and drops its pending deliveries, in one transaction; false when it has none of that id.</summary>
    public async Task<bool> DisableAsync(string id, string tenant, string environment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var gone = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhooks SET disabled_at = @now WHERE id = @id AND tenant_id = @tenant AND environment = @environment AND disabled_at IS NULL",
            new { id, tenant, environment, now }, transaction, cancellationToken: cancellationToken));
        if (gone == 0)
        {
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_deliveries SET status = 'dropped' WHERE webhook_id = @id AND status IN ('pending', 'retrying')", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The newest <see cref="DeliveryLogLength"/> deliveries of a webhook of the tenant (stopped ones included), newest first; null when the
    /// tenant has no webhook of that id.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryRow>?> DeliveriesAsync(string id, string tenant, string environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var owned = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM webhooks WHERE id = @id AND tenant_id = @tenant AND environment = @environment", new { id, tenant, environment }, cancellationToken: cancellationToken));
        if (owned == 0)
        {
            return null;
        }
        return (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            $"SELECT id, event, status, attempts, created_at, delivered_at, last_status, last_error, payload FROM webhook_deliveries WHERE webhook_id = @id ORDER BY created_at DESC LIMIT {DeliveryLogLength}",
            new { id }, cancellationToken: cancellationToken))).ToList();
    }

    private sealed class WebhookState
    {
        public string Id { get; set; } = "";
        public DateTimeOffset? DisabledAt { get; set; }
    }

    /// <summary>
    /// Queues a new delivery (id <paramref name="newId"/>, pending, no attempts) of the event and payload of delivery <paramref name="deliveryId"/>
    /// of the tenant's webhook <paramref name="id"/>, when that webhook is active. The webhook's row is locked first (on PostgreSQL), so a stop
    /// running at the same time either comes before and is seen here, or comes after and drops the new delivery with the others.
    /// </summary>
    public async Task<(RedeliveryResult Result, DeliveryRow? Delivery)> RedeliverAsync(
        string id, string deliveryId, string tenant, string environment, string newId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var forUpdate = connection is NpgsqlConnection ? " FOR UPDATE" : "";
        var webhook = await connection.QueryFirstOrDefaultAsync<WebhookState>(new CommandDefinition(
            $"SELECT id, disabled_at FROM webhooks WHERE id = @id AND tenant_id = @tenant AND environment = @environment{forUpdate}",
            new { id, tenant, environment }, transaction, cancellationToken: cancellationToken));
        if (webhook is null)
        {
            return (RedeliveryResult.NoWebhook, null);
        }
        var original = await connection.QueryFirstOrDefaultAsync<DeliveryRow>(new CommandDefinition(
            "SELECT id, event, payload FROM webhook_deliveries WHERE id = @deliveryId AND webhook_id = @id AND tenant_id = @tenant",
            new { deliveryId, id, tenant }, transaction, cancellationToken: cancellationToken));
        if (original is null)
        {
            return (RedeliveryResult.NoDelivery, null);
        }
        if (webhook.DisabledAt is not null)
        {
            return (RedeliveryResult.Stopped, null);
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO webhook_deliveries (id, webhook_id, tenant_id, event, payload, created_at, status, attempts, next_attempt_at)
            VALUES (@newId, @id, @tenant, @Event, @Payload, @now, 'pending', 0, @now)
            """,
            new { newId, id, tenant, original.Event, original.Payload, now }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (RedeliveryResult.Queued, new DeliveryRow { Id = newId, Event = original.Event, Status = "pending", CreatedAt = now, Payload = original.Payload });
    }
}
