using System.Data.Common;
using System.Globalization;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// <c>sandbox_twins</c>, which the sandbox owns: which versions have a twin, which node is generating which (a lease renewed by a
/// heartbeat, so a twin whose node died is taken over), and each twin's table and report. Twin tables
/// (<c>twin_{dataset}_{version}_g{generation}</c>) are the sandbox's too.
/// </summary>
internal sealed class TwinStore(Database database, TimeProvider clock)
{
    private const string Columns =
        "dataset_key, dataset_id, version, status, table_name, seed, schema_hash, generation, source_rows, row_count, report, error, created_at, started_at, finished_at";

    public static string TableName(long datasetKey, int version, int generation) =>
        string.Create(CultureInfo.InvariantCulture, $"twin_{datasetKey}_{version}_g{generation}");

    public async Task<IReadOnlyList<TwinRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TwinRow>(new CommandDefinition($"SELECT {Columns} FROM sandbox_twins", cancellationToken: cancellationToken))).ToList();
    }

    public async Task<TwinRow?> FindAsync(long datasetKey, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TwinRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sandbox_twins WHERE dataset_key = @datasetKey AND version = @version", new { datasetKey, version }, cancellationToken: cancellationToken));
    }

    /// <summary>The twin of the newest version of a dataset that has one (what its owner's page shows), or null.</summary>
    public async Task<TwinRow?> FindLatestAsync(long datasetKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<TwinRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sandbox_twins WHERE dataset_key = @datasetKey ORDER BY version DESC", new { datasetKey }, cancellationToken: cancellationToken));
    }

    /// <summary>Queues the twin of a newly published version; a version already queued (by another node) is left as it is.</summary>
    public async Task QueueAsync(long datasetKey, string datasetId, int version, long seed, string schemaHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sandbox_twins (dataset_key, dataset_id, version, status, table_name, seed, schema_hash, generation, created_at)
            VALUES (@datasetKey, @datasetId, @version, 'queued', '', @seed, @schemaHash, 1, @now)
            ON CONFLICT (dataset_key, version) DO NOTHING
            """, new { datasetKey, datasetId, version, seed, schemaHash, now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Queues the next generation of a twin whose dataset's columns or tags changed since it was made; the table made for the old
    /// columns stays served until the new one is ready (its values are made up either way).
    /// </summary>
    public async Task RequeueAsync(long datasetKey, int version, string oldHash, string schemaHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sandbox_twins SET status = 'queued', schema_hash = @schemaHash, generation = generation + 1, lease_owner = NULL, lease_until = NULL, error = NULL
            WHERE dataset_key = @datasetKey AND version = @version AND schema_hash = @oldHash
            """, new { datasetKey, version, oldHash, schemaHash }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Takes one twin to generate: a queued one, or one whose generating node's lease ran out (the node died). The update is
    /// conditional on what was read, so of two nodes only one wins.
    /// </summary>
    public async Task<TwinRow?> ClaimAsync(string node, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var candidates = (await connection.QueryAsync<(long Key, int Version, int Generation)>(new CommandDefinition(
            """
            SELECT dataset_key, version, generation FROM sandbox_twins
            WHERE status = 'queued' OR (status = 'generating' AND lease_until < @now)
            ORDER BY created_at
            """, new { now }, cancellationToken: cancellationToken))).ToList();
        foreach (var (key, version, generation) in candidates)
        {
            var taken = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE sandbox_twins SET status = 'generating', lease_owner = @node, lease_until = @until, started_at = @now
                WHERE dataset_key = @key AND version = @version AND generation = @generation
                  AND (status = 'queued' OR (status = 'generating' AND lease_until < @now))
                """, new { node, until = now + lease, now, key, version, generation }, cancellationToken: cancellationToken));
            if (taken == 1)
            {
                return await connection.QuerySingleAsync<TwinRow>(new CommandDefinition(
                    $"SELECT {Columns} FROM sandbox_twins WHERE dataset_key = @key AND version = @version", new { key, version }, cancellationToken: cancellationToken));
            }
        }
        return null;
    }

    /// <summary>Extends this node's lease; false when it lost the twin (another node took it over, or it was requeued).</summary>
    public async Task<bool> HeartbeatAsync(TwinRow twin, string node, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sandbox_twins SET lease_until = @until
            WHERE dataset_key = @key AND version = @version AND generation = @generation AND lease_owner = @node AND status = 'generating'
            """, new { until = clock.GetUtcNow() + lease, key = twin.DatasetKey, version = twin.Version, generation = twin.Generation, node },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Records a finished generation: ready (its table is served from now on) or withheld (nothing is served). The table served
    /// before is returned for dropping. Nothing changes when this node no longer holds the twin.
    /// </summary>
    public async Task<(bool Recorded, string? Replaced)> FinishAsync(TwinRow twin, string node, string status, string? table, long sourceRows, long rows, string report,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var previous = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            SELECT table_name FROM sandbox_twins
            WHERE dataset_key = @key AND version = @version AND generation = @generation AND lease_owner = @node AND status = 'generating'
            """, new { key = twin.DatasetKey, version = twin.Version, generation = twin.Generation, node }, transaction, cancellationToken: cancellationToken));
        if (previous is null)
        {
            return (false, null);
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sandbox_twins SET status = @status, table_name = @table, source_rows = @sourceRows, row_count = @rows, report = @report, error = NULL,
                   lease_owner = NULL, lease_until = NULL, finished_at = @now
            WHERE dataset_key = @key AND version = @version
            """, new { status, table = table ?? "", sourceRows, rows, report, now = clock.GetUtcNow(), key = twin.DatasetKey, version = twin.Version },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (true, previous.Length == 0 || previous == table ? null : previous);
    }

    /// <summary>Records a generation that failed with an error; what was served before stays served.</summary>
    public async Task FailAsync(TwinRow twin, string node, string error, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sandbox_twins SET status = 'failed', error = @error, lease_owner = NULL, lease_until = NULL, finished_at = @now
            WHERE dataset_key = @key AND version = @version AND generation = @generation AND lease_owner = @node
            """, new { error, now = clock.GetUtcNow(), key = twin.DatasetKey, version = twin.Version, generation = twin.Generation, node },
            cancellationToken: cancellationToken));
    }

    /// <summary>Forgets the twin of a version no longer kept; its table is the caller's to drop.</summary>
    public async Task DeleteAsync(long datasetKey, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sandbox_twins WHERE dataset_key = @datasetKey AND version = @version", new { datasetKey, version }, cancellationToken: cancellationToken));
    }

    /// <summary>Drops a twin table; one in use now is left for the next turn.</summary>
    public async Task<bool> DropTableAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition($"DROP TABLE IF EXISTS {database.Dialect.Quote(table)}", cancellationToken: cancellationToken));
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }
}
