using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenData.Platform.Common;
using OpenData.Platform.Storage;
using OpenData.Platform.Webhooks;

namespace OpenData.Platform.Access;

/// <summary>
/// Announces each grant expiring within 7 days once to its holder (<c>grant.expiring</c>), through the webhook outbox inside the
/// transaction that marks it announced. Access owns the grants table, so the scan lives here; nodes share the work (on
/// PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>). It polls as often as webhook delivery (<c>OpenData:Webhooks:PollMilliseconds</c>).
/// </summary>
internal sealed partial class GrantExpiryAnnouncer(Database database, WebhookOutbox outbox, TimeProvider clock, IOptions<WebhookOptions> options,
    ILogger<GrantExpiryAnnouncer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        await PollingLoop.RunAsync(poll, clock, AnnounceExpiringAsync, e => LoopFailed(logger, e), stoppingToken);
    }

    /// <summary>Grants expiring within 7 days are announced once to their holders.</summary>
    private async Task AnnounceExpiringAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var skipLocked = connection is NpgsqlConnection ? " FOR UPDATE SKIP LOCKED" : "";
        var expiring = (await connection.QueryAsync<(string Id, string TenantId, string DatasetId, DateTimeOffset ExpiresAt)>(new CommandDefinition(
            $"SELECT id, tenant_id, dataset_id, expires_at FROM grants WHERE revoked_at IS NULL AND expiring_notified_at IS NULL AND expires_at > @now AND expires_at <= @soon LIMIT 50{skipLocked}",
            new { now, soon = now.AddDays(7) }, transaction, cancellationToken: cancellationToken))).ToList();
        foreach (var grant in expiring)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE grants SET expiring_notified_at = @now WHERE id = @Id", new { now, grant.Id }, transaction,
                cancellationToken: cancellationToken));
            await outbox.EnqueueAsync(connection, transaction, grant.TenantId, WebhookEvents.Expiring,
                new { grant = grant.Id, datasetId = grant.DatasetId, expiresAt = grant.ExpiresAt }, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing expiring grants failed; it runs again shortly")]
    private static partial void LoopFailed(ILogger logger, Exception e);
}
