using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace OpenData.Platform.Webhooks;

/// <summary>The events tenants can subscribe to.</summary>
internal static class WebhookEvents
{
    public const string Submitted = "access_request.submitted";
    public const string Decided = "access_request.decided";
    public const string Expiring = "grant.expiring";
    public const string Revoked = "grant.revoked";

    /// <summary>To a dataset's owner: a tenant read the dataset far beyond its own habit (Monitoring).</summary>
    public const string UsageAnomaly = "usage.anomaly";

    public static readonly IReadOnlyList<string> All = [Submitted, Decided, Expiring, Revoked, UsageAnomaly];
}

/// <summary>
/// Writes an event for each of a tenant's webhooks subscribed to it, inside the caller's transaction (the outbox pattern): the
/// change and its notification commit together or not at all. <see cref="WebhookDelivery"/> sends them.
/// </summary>
internal sealed class WebhookOutbox(TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A fresh delivery id (<c>wd_</c> and 20 hex digits).</summary>
    public static string NewDeliveryId() => "wd_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));

    public async Task EnqueueAsync(DbConnection connection, DbTransaction transaction, string tenantId, string eventName, object data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var hooks = (await connection.QueryAsync<(string Id, string Events)>(new CommandDefinition(
            "SELECT id, events FROM webhooks WHERE tenant_id = @tenantId AND disabled_at IS NULL", new { tenantId }, transaction, cancellationToken: cancellationToken)))
            .Where(h => JsonSerializer.Deserialize<List<string>>(h.Events)!.Contains(eventName)).ToList();
        var now = clock.GetUtcNow();
        foreach (var hook in hooks)
        {
            var id = NewDeliveryId();
            var payload = JsonSerializer.Serialize(new { id, type = eventName, createdAt = now, tenant = tenantId, data }, Json);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO webhook_deliveries (id, webhook_id, tenant_id, event, payload, created_at, status, attempts, next_attempt_at)
                VALUES (@id, @webhook, @tenantId, @eventName, @payload, @now, 'pending', 0, @now)
                """,
                new { id, webhook = hook.Id, tenantId, eventName, payload, now }, transaction, cancellationToken: cancellationToken));
        }
    }
}
