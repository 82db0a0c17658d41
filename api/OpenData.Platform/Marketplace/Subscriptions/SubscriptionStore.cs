using System.Data.Common;
using Dapper;
using OpenData.Platform.Storage;
using OpenData.Platform.Webhooks;

namespace OpenData.Platform.Marketplace.Subscriptions;

/// <summary>The <c>subscriptions</c> and <c>subscription_periods</c> tables; every change with its audit entry (and webhook) in one transaction.</summary>
internal sealed class SubscriptionStore(Database database, Audit.AuditLog audit, WebhookOutbox outbox)
{
    internal sealed class SubscriptionRow
    {
        public string Id { get; set; } = "";
        public string ProductId { get; set; } = "";
        public string ProviderId { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string AppId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string Plan { get; set; } = "";
        public string AgreementVersion { get; set; } = "";
        public string Status { get; set; } = "";
        public string? Reason { get; set; }
        public string? DecidedBy { get; set; }
        public DateTimeOffset? DecidedAt { get; set; }
        public DateTimeOffset? EndsAt { get; set; }
        public string CreatedBy { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }
    }

    /// <summary>A plan held from <c>FromDay</c> to <c>ToDay</c> (CST days, both inclusive; null while it holds), with its price and limits as accepted.</summary>
    internal sealed class PeriodRow
    {
        public string SubscriptionId { get; set; } = "";
        public int Seq { get; set; }
        public string Plan { get; set; } = "";
        public string PriceModel { get; set; } = "";
        public string Amount { get; set; } = "";
        public string Limits { get; set; } = "";
        public string FromDay { get; set; } = "";
        public string? ToDay { get; set; }
    }

    /// <summary>What a change writes besides the subscription row: its audit entry and, optionally, one webhook.</summary>
    internal sealed record Effects(Audit.AuditEvent Entry, string? WebhookTenant = null, string? WebhookEvent = null, object? WebhookData = null);

    private const string Columns =
        "id, product_id, provider_id, tenant_id, app_id, client_id, plan, agreement_version, status, reason, decided_by, decided_at, ends_at, created_by, created_at, updated_at";

    public async Task<SubscriptionRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM subscriptions WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>A tenant's subscriptions, or (<paramref name="provider"/>) the subscriptions to its products; newest first.</summary>
    public async Task<List<SubscriptionRow>> ListAsync(string tenant, bool provider, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM subscriptions WHERE {(provider ? "provider_id" : "tenant_id")} = @tenant ORDER BY created_at DESC, id",
            new { tenant }, cancellationToken: cancellationToken))];
    }

    /// <summary>Every subscription of a product, or of every product (<paramref name="productId"/> null), for statements.</summary>
    public async Task<List<SubscriptionRow>> AllAsync(string? productId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM subscriptions WHERE @productId IS NULL OR product_id = @productId ORDER BY id", new { productId },
            cancellationToken: cancellationToken))];
    }

    public async Task<List<PeriodRow>> PeriodsAsync(IReadOnlyCollection<string> subscriptionIds, CancellationToken cancellationToken)
    {
        if (subscriptionIds.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = new List<PeriodRow>();
        foreach (var chunk in subscriptionIds.Chunk(500))
        {
            var parameters = new DynamicParameters();
            var names = new List<string>();
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.Add("s" + i, chunk[i]);
                names.Add("@s" + i);
            }
            rows.AddRange(await connection.QueryAsync<PeriodRow>(new CommandDefinition(
                $"SELECT subscription_id, seq, plan, price_model, amount, limits, from_day, to_day FROM subscription_periods WHERE subscription_id IN ({string.Join(", ", names)}) ORDER BY subscription_id, seq",
                parameters, cancellationToken: cancellationToken)));
        }
        return rows;
    }

    /// <summary>The app's subscription that is pending or active, if any (one per app).</summary>
    public async Task<SubscriptionRow?> HeldByAppAsync(string appId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM subscriptions WHERE app_id = @appId AND status IN ('pending', 'active')", new { appId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Inserts a subscription (with its first period when it starts active), unless the app already holds a pending or active one
    /// (checked in the transaction): false then.
    /// </summary>
    public async Task<bool> InsertAsync(SubscriptionRow row, PeriodRow? period, Effects effects, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO subscriptions ({Columns})
            SELECT @Id, @ProductId, @ProviderId, @TenantId, @AppId, @ClientId, @Plan, @AgreementVersion, @Status, @Reason, @DecidedBy, @DecidedAt, @EndsAt,
                   @CreatedBy, @CreatedAt, @UpdatedAt
            WHERE NOT EXISTS (SELECT 1 FROM subscriptions WHERE app_id = @AppId AND status IN ('pending', 'active'))
            """, row, transaction, cancellationToken: cancellationToken));
        if (inserted != 1)
        {
            return false;
        }
        if (period is not null)
        {
            await InsertPeriodAsync(connection, transaction, period, cancellationToken);
        }
        await WriteEffectsAsync(connection, transaction, effects, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Moves a subscription from <paramref name="from"/> to its new state (status, plan, agreement, decision, end) as <paramref name="row"/>
    /// holds it; closes the open period on <paramref name="closeOn"/> (the day before the change, or the day of a cancellation) and
    /// opens <paramref name="open"/> (a period of the same day replaces the day's earlier one). False when the subscription was not
    /// in <paramref name="from"/> any more.
    /// </summary>
    public async Task<bool> ChangeAsync(SubscriptionRow row, string from, string? closeOn, PeriodRow? open, Effects effects, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE subscriptions SET status = @Status, plan = @Plan, agreement_version = @AgreementVersion, reason = @Reason, decided_by = @DecidedBy,
                decided_at = @DecidedAt, ends_at = @EndsAt, updated_at = @UpdatedAt
            WHERE id = @Id AND status = @from
            """, new
            {
                row.Id, row.Status, row.Plan, row.AgreementVersion, row.Reason, row.DecidedBy, row.DecidedAt, row.EndsAt, row.UpdatedAt, from,
            }, transaction, cancellationToken: cancellationToken));
        if (changed != 1)
        {
            return false;
        }
        if (open is not null)
        {
            // A second change on one day: the day's earlier period gives way (a day is priced at one plan, the last).
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM subscription_periods WHERE subscription_id = @SubscriptionId AND from_day = @FromDay", open, transaction, cancellationToken: cancellationToken));
        }
        if (closeOn is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE subscription_periods SET to_day = @closeOn WHERE subscription_id = @id AND to_day IS NULL",
                new { id = row.Id, closeOn }, transaction, cancellationToken: cancellationToken));
        }
        if (open is not null)
        {
            open.Seq = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM subscription_periods WHERE subscription_id = @SubscriptionId", open, transaction, cancellationToken: cancellationToken));
            await InsertPeriodAsync(connection, transaction, open, cancellationToken);
        }
        await WriteEffectsAsync(connection, transaction, effects, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The product's active subscriptions end at <paramref name="endsAt"/> (its retirement), unless they end sooner.</summary>
    public async Task EndAllAsync(string productId, DateTimeOffset endsAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE subscriptions SET ends_at = @endsAt WHERE product_id = @productId AND status IN ('pending', 'active') AND (ends_at IS NULL OR ends_at > @endsAt)",
            new { productId, endsAt }, cancellationToken: cancellationToken));
    }

    private static Task<int> InsertPeriodAsync(DbConnection connection, DbTransaction transaction, PeriodRow period, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO subscription_periods (subscription_id, seq, plan, price_model, amount, limits, from_day, to_day)
            VALUES (@SubscriptionId, @Seq, @Plan, @PriceModel, @Amount, @Limits, @FromDay, @ToDay)
            """, period, transaction, cancellationToken: cancellationToken));

    private async Task WriteEffectsAsync(DbConnection connection, DbTransaction transaction, Effects effects, CancellationToken cancellationToken)
    {
        await audit.AppendAsync(connection, transaction, effects.Entry, cancellationToken);
        if (effects.WebhookTenant is { } tenant)
        {
            await outbox.EnqueueAsync(connection, transaction, tenant, effects.WebhookEvent!, effects.WebhookData!, cancellationToken);
        }
    }
}
