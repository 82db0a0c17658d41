using System.Data.Common;
using System.Text.Json;
using Dapper;
using OpenData.Platform.Storage;

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

    /// <summary>To a dataset's owner: a tenant reached the day's limit of no_match verification answers (Analytics, once a day).</summary>
    public const string EnumerationSuspected = "verify.enumeration_suspected";

    /// <summary>To an analysis job's requester: the dataset's owner released or rejected the job (data: the id, the dataset, the decision; never an output).</summary>
    public const string AnalysisJobDecided = "analysis_job.decided";

    /// <summary>Sandbox only, for now: a dataset has a new version (data: the dataset, the version before and after).</summary>
    public const string VersionPublished = "dataset.version_published";

    /// <summary>Sandbox only, for now: a dataset's new version changed its columns (data: the columns added, removed and retyped).</summary>
    public const string SchemaChanged = "dataset.schema_changed";

    /// <summary>To a contest team's tenant: the organiser (or the contest's automatic approval) decided its registration.</summary>
    public const string ContestRegistrationDecided = "contest.registration_decided";

    /// <summary>To the tenant of every team of a contest: the organiser published the results.</summary>
    public const string ContestResultsPublished = "contest.results_published";

    /// <summary>To a product's provider: a tenant subscribed (data: the subscription, product, plan and status: pending or active).</summary>
    public const string SubscriptionRequested = "subscription.requested";

    /// <summary>To a subscriber: the provider approved or rejected its subscription (data: the subscription, product, decision, reason).</summary>
    public const string SubscriptionDecided = "subscription.decided";

    /// <summary>To every subscriber of a product its provider retired: the subscription ends on the date given (data: product, endsAt).</summary>
    public const string ProductRetiring = "product.retiring";

    /// <summary>The events of live webhooks: the platform raises each of them.</summary>
    public static readonly IReadOnlyList<string> All = [Submitted, Decided, Expiring, Revoked, UsageAnomaly, EnumerationSuspected, ContestRegistrationDecided, ContestResultsPublished, AnalysisJobDecided,
        SubscriptionRequested, SubscriptionDecided, ProductRetiring];

    /// <summary>
    /// The events only a sandbox webhook subscribes to: the sandbox simulates them (<c>POST /v1/sandbox/events</c>) so that clients can
    /// rehearse a new version, and the live platform does not raise them (a live client sees a new version in <c>X-Dataset-Version</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> SandboxOnly = [VersionPublished, SchemaChanged];

    /// <summary>The events a webhook of <paramref name="environment"/> may subscribe to (and gets when it names none).</summary>
    public static IReadOnlyList<string> For(string environment) =>
        environment == WebhookEnvironments.Sandbox ? [.. All, .. SandboxOnly] : All;
}

/// <summary>
/// Writes an event for each of a tenant's webhooks subscribed to it, inside the caller's transaction (the outbox pattern): the
/// change and its notification commit together or not at all. <see cref="WebhookDelivery"/> sends them. Live events go to the
/// tenant's live webhooks only; the sandbox's simulated events (<see cref="EnqueueSimulatedAsync"/>) to its sandbox webhooks only.
/// </summary>
internal sealed class WebhookOutbox(Database database, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A fresh delivery id (<c>wd_</c> and 20 hex digits).</summary>
    public static string NewDeliveryId() => "wd_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));

    /// <summary>A live event, for the tenant's live webhooks subscribed to it, in the caller's transaction.</summary>
    public async Task EnqueueAsync(DbConnection connection, DbTransaction transaction, string tenantId, string eventName, object data, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await EnqueueAsync(connection, transaction, tenantId, WebhookEnvironments.Live, eventName,
            id => JsonSerializer.Serialize(new { id, type = eventName, createdAt = now, tenant = tenantId, data }, Json), now, cancellationToken);
    }

    /// <summary>
    /// A simulated event of the sandbox, for the tenant's sandbox webhooks subscribed to it, delivered exactly as a live one (same
    /// outbox, worker, signature and retries). Its body says <c>"environment": "sandbox"</c>, and <c>simulate</c> when the sandbox is
    /// asked to play a failing receiver (<see cref="SimulatedFailures"/>). Answers the ids of the deliveries written, none when no
    /// sandbox webhook of the tenant is subscribed to <paramref name="eventName"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> EnqueueSimulatedAsync(string tenantId, string eventName, object data, string? simulate, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = await EnqueueAsync(connection, transaction, tenantId, WebhookEnvironments.Sandbox, eventName,
            id => JsonSerializer.Serialize(new SimulatedPayload(id, eventName, now, tenantId, WebhookEnvironments.Sandbox, simulate, data), Json), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    private sealed record SimulatedPayload(string Id, string Type, DateTimeOffset CreatedAt, string Tenant, string Environment,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Simulate,
        object Data);

    private static async Task<IReadOnlyList<string>> EnqueueAsync(DbConnection connection, DbTransaction transaction, string tenantId, string environment, string eventName,
        Func<string, string> payloadOf, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var hooks = (await connection.QueryAsync<(string Id, string Events)>(new CommandDefinition(
            "SELECT id, events FROM webhooks WHERE tenant_id = @tenantId AND environment = @environment AND disabled_at IS NULL ORDER BY created_at",
            new { tenantId, environment }, transaction, cancellationToken: cancellationToken)))
            .Where(h => JsonSerializer.Deserialize<List<string>>(h.Events)!.Contains(eventName)).ToList();
        var ids = new List<string>(hooks.Count);
        foreach (var hook in hooks)
        {
            var id = NewDeliveryId();
            var payload = payloadOf(id);
            ids.Add(id);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO webhook_deliveries (id, webhook_id, tenant_id, event, payload, created_at, status, attempts, next_attempt_at)
                VALUES (@id, @webhook, @tenantId, @eventName, @payload, @now, 'pending', 0, @now)
                """,
                new { id, webhook = hook.Id, tenantId, eventName, payload, now }, transaction, cancellationToken: cancellationToken));
        }
        return ids;
    }
}
