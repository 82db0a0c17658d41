using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Sandbox.Promotion;

/// <summary>
/// The SQL of <c>sandbox_reads</c>: what each sandbox app read, per dataset and column (rows added up, first and last read),
/// never a value. Promotion turns it into draft access requests for exactly the columns the app used.
/// </summary>
internal sealed class SandboxReadStore(Database database)
{
    /// <summary>Adds one read of <paramref name="columns"/> (of <paramref name="rows"/> rows) to the app's tally, one row per column.</summary>
    public async Task RecordAsync(string clientId, string tenantId, string datasetId, IReadOnlyCollection<string> columns, long rows, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var column in columns)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO sandbox_reads (client_id, tenant_id, dataset_id, column_name, rows_read, first_at, last_at)
                VALUES (@clientId, @tenantId, @datasetId, @column, @rows, @at, @at)
                ON CONFLICT (client_id, dataset_id, column_name) DO UPDATE SET
                    rows_read = sandbox_reads.rows_read + excluded.rows_read,
                    last_at = excluded.last_at
                """,
                new { clientId, tenantId, datasetId, column, rows, at }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Everything an app read, per dataset and column.</summary>
    public async Task<IReadOnlyList<SandboxRead>> ReadsOfAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SandboxRead>(new CommandDefinition(
            "SELECT dataset_id, column_name, rows_read, first_at, last_at FROM sandbox_reads WHERE client_id = @clientId ORDER BY dataset_id, column_name",
            new { clientId }, cancellationToken: cancellationToken))).ToList();
    }
}
