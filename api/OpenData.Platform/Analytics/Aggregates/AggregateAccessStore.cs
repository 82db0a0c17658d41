using System.Text.Json;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>The <c>aggregate_access</c> and <c>aggregate_queries</c> tables: the owners' settings and the privacy budget's ledger.</summary>
internal sealed class AggregateAccessStore(Database database, Audit.AuditLog audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<AggregateAccess?> FindAsync(string datasetId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var text = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT settings FROM aggregate_access WHERE dataset_id = @datasetId", new { datasetId }, cancellationToken: cancellationToken));
        return text is null ? null : JsonSerializer.Deserialize<AggregateAccess>(text, Json);
    }

    /// <summary>Saves an owner's settings and its audit entry in one transaction.</summary>
    public async Task SaveAsync(string datasetId, AggregateAccess access, string updatedBy, Audit.AuditEvent entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO aggregate_access (dataset_id, settings, updated_by, updated_at) VALUES (@datasetId, @settings, @updatedBy, @now)
            ON CONFLICT (dataset_id) DO UPDATE SET settings = excluded.settings, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """,
            new { datasetId, settings = JsonSerializer.Serialize(access, Json), updatedBy, now = clock.GetUtcNow().UtcDateTime.ToString("O") },
            transaction, cancellationToken: cancellationToken));
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Spends <paramref name="epsilon"/> of a tenant's budget on a dataset today for a canonical query, unless the query was already
    /// paid for today (then nothing); refuses (false) when the budget cannot pay for a new one. Answers what is spent after.
    /// </summary>
    public async Task<(bool Paid, double Spent)> SpendAsync(string tenant, string datasetId, string day, string queryHash, double epsilon, double budget,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var key = new { tenant, datasetId, day, queryHash, epsilon, now = clock.GetUtcNow().UtcDateTime.ToString("O") };
        var known = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM aggregate_queries WHERE tenant_id = @tenant AND dataset_id = @datasetId AND day = @day AND query_hash = @queryHash", key,
            cancellationToken: cancellationToken));
        var spent = await SpentAsync(connection, key, cancellationToken);
        if (known > 0)
        {
            return (true, spent);
        }
        // A small tolerance so that ten queries of 0.1 fit a budget of 1.
        if (spent + epsilon > budget + 1e-9)
        {
            return (false, spent);
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO aggregate_queries (tenant_id, dataset_id, day, query_hash, epsilon, created_at) VALUES (@tenant, @datasetId, @day, @queryHash, @epsilon, @now)
            ON CONFLICT (tenant_id, dataset_id, day, query_hash) DO NOTHING
            """, key, cancellationToken: cancellationToken));
        return (true, await SpentAsync(connection, key, cancellationToken));
    }

    private static Task<double> SpentAsync(System.Data.Common.DbConnection connection, object key, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<double>(new CommandDefinition(
            "SELECT COALESCE(SUM(epsilon), 0) FROM aggregate_queries WHERE tenant_id = @tenant AND dataset_id = @datasetId AND day = @day", key,
            cancellationToken: cancellationToken));
}
