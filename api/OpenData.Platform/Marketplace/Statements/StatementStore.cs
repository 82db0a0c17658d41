using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Marketplace.Statements;

/// <summary>The <c>statement_months</c>, <c>statement_lines</c> and <c>statement_adjustments</c> tables: closed months are written once, never updated.</summary>
internal sealed class StatementStore(Database database, Audit.AuditLog audit)
{
    /// <summary>When the month was closed, or null while it is not.</summary>
    public async Task<DateTimeOffset?> ClosedAtAsync(string month, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT closed_at FROM statement_months WHERE month = @month", new { month }, cancellationToken: cancellationToken));
    }

    public async Task<List<StatementLine>> LinesAsync(string month, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<StatementLine>(new CommandDefinition(
            """
            SELECT subscription_id AS SubscriptionId, product_id AS ProductId, provider_id AS Provider, tenant_id AS Subscriber, client_id AS AppId, plan AS Plan,
                   price_model AS PriceModel, unit_price AS UnitPrice, from_day AS "From", to_day AS "To", calls AS Calls, rows_read AS Rows, quantity AS Quantity, amount AS Amount
            FROM statement_lines WHERE month = @month ORDER BY subscription_id, seq
            """, new { month }, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Keeps a closed month's lines, once: false when another request (or node) closed the month first (its lines stand, these are dropped).
    /// </summary>
    public async Task<bool> CloseAsync(string month, IReadOnlyList<StatementLine> lines, DateTimeOffset now, Audit.AuditEvent entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO statement_months (month, closed_at) VALUES (@month, @now) ON CONFLICT (month) DO NOTHING", new { month, now }, transaction,
            cancellationToken: cancellationToken));
        if (claimed != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        var seq = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            seq[line.SubscriptionId] = seq.GetValueOrDefault(line.SubscriptionId) + 1;
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO statement_lines (month, subscription_id, seq, product_id, provider_id, tenant_id, client_id, plan, price_model, unit_price, from_day, to_day,
                                             calls, rows_read, quantity, amount)
                VALUES (@month, @SubscriptionId, @seq, @ProductId, @Provider, @Subscriber, @AppId, @Plan, @PriceModel, @UnitPrice, @From, @To, @Calls, @Rows, @Quantity, @Amount)
                """, new
                {
                    month, seq = seq[line.SubscriptionId], line.SubscriptionId, line.ProductId, line.Provider, line.Subscriber, line.AppId, line.Plan, line.PriceModel,
                    line.UnitPrice, line.From, line.To, line.Calls, line.Rows, line.Quantity, line.Amount,
                }, transaction, cancellationToken: cancellationToken));
        }
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<List<AdjustmentRow>> AdjustmentsAsync(string month, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<AdjustmentRow>(new CommandDefinition(
            "SELECT id, month, corrects_month, subscription_id, amount, reason, created_by, created_at FROM statement_adjustments WHERE month = @month ORDER BY created_at, id",
            new { month }, cancellationToken: cancellationToken))];
    }

    /// <summary>Adds an adjustment to a month, unless that month has closed meanwhile (checked in the transaction): false then.</summary>
    public async Task<bool> AdjustAsync(AdjustmentRow row, Audit.AuditEvent entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO statement_adjustments (id, month, corrects_month, subscription_id, amount, reason, created_by, created_at)
            SELECT @Id, @Month, @CorrectsMonth, @SubscriptionId, @Amount, @Reason, @CreatedBy, @CreatedAt
            WHERE NOT EXISTS (SELECT 1 FROM statement_months WHERE month = @Month)
            """, row, transaction, cancellationToken: cancellationToken));
        if (inserted != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    internal sealed class AdjustmentRow
    {
        public string Id { get; set; } = "";
        public string Month { get; set; } = "";
        public string CorrectsMonth { get; set; } = "";
        public string SubscriptionId { get; set; } = "";
        public string Amount { get; set; } = "";
        public string Reason { get; set; } = "";
        public string CreatedBy { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
    }
}
