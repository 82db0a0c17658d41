using System.Text.Json;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Ingestion;

/// <summary>
/// The SQL of ingestion jobs and their staged uploads: the job row, the lease a node takes to run it (renewed by a heartbeat that
/// also records the progress, so any node answers the job's status), and the upload's chunks in <c>ingestion_uploads</c>.
/// </summary>
internal sealed class IngestionJobStore(Database database)
{
    private const string Select =
        "SELECT j.id, j.dataset_key, j.dataset_id, j.owner_id, j.status, j.charset, j.spool_path, j.bytes_total, j.bytes_read, " +
        "j.rows_read, j.rows_rejected, j.errors, j.message, j.quality, j.version, j.created_at, j.started_at, j.finished_at, " +
        "j.lease_owner, j.lease_until, j.attempts, j.staged_in_store " +
        "FROM ingestion_jobs j";

    // The job is the oldest unfinished one of its dataset: a dataset's versions are loaded one at a time, in the order they were
    // uploaded, which keeps version numbers contiguous (a failed or dead attempt gives its number back before the next one starts).
    private const string OldestOfItsDataset =
        """
        NOT EXISTS (SELECT 1 FROM ingestion_jobs o WHERE o.dataset_key = ingestion_jobs.dataset_key AND o.status IN ('queued', 'running')
                    AND (o.created_at < ingestion_jobs.created_at OR (o.created_at = ingestion_jobs.created_at AND o.id < ingestion_jobs.id)))
        AND NOT EXISTS (SELECT 1 FROM ingestion_jobs r WHERE r.dataset_key = ingestion_jobs.dataset_key AND r.id <> ingestion_jobs.id
                    AND r.status = 'running' AND r.lease_until >= @now)
        """;

    private const string Runnable = "(ingestion_jobs.status = 'queued' OR (ingestion_jobs.status = 'running' AND (ingestion_jobs.lease_until IS NULL OR ingestion_jobs.lease_until < @now)))";

    public async Task CreateAsync(string id, long datasetKey, string datasetId, string ownerId, string charset, string? spoolPath, long bytes, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ingestion_jobs (id, dataset_key, dataset_id, owner_id, status, charset, spool_path, bytes_total, created_at, staged_in_store) " +
            "VALUES (@id, @datasetKey, @datasetId, @ownerId, 'queued', @charset, @spoolPath, @bytes, @now, @stagedInStore)",
            new { id, datasetKey, datasetId, ownerId, charset, spoolPath, bytes, now, stagedInStore = spoolPath is null }, cancellationToken: cancellationToken));
    }

    public async Task<JobRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition($"{Select} WHERE j.id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Stores one chunk of an upload being staged (chunks are numbered from 0 in the order of the body).</summary>
    public async Task StageChunkAsync(string jobId, int seq, byte[] data, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ingestion_uploads (job_id, seq, data, staged_at) VALUES (@jobId, @seq, @data, @now)",
            new { jobId, seq, data, now }, cancellationToken: cancellationToken));
    }

    /// <summary>One chunk of a staged upload, or null past its end; synchronous, for the loader's own thread.</summary>
    public byte[]? ReadChunk(string jobId, int seq)
    {
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<byte[]>("SELECT data FROM ingestion_uploads WHERE job_id = @jobId AND seq = @seq", new { jobId, seq });
    }

    /// <summary>Deletes what was staged of an upload (a body cut short, or a job that ended).</summary>
    public async Task DiscardStagedAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM ingestion_uploads WHERE job_id = @jobId", new { jobId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Deletes chunks staged before <paramref name="before"/> that no unfinished job reads: left by a node that died while it took
    /// the upload (the job row is written after the last chunk), or by a job whose end could not delete them.
    /// </summary>
    public async Task<int> SweepStagedAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM ingestion_uploads WHERE staged_at < @before
              AND NOT EXISTS (SELECT 1 FROM ingestion_jobs j WHERE j.id = ingestion_uploads.job_id AND j.status IN ('queued', 'running'))
            """, new { before }, cancellationToken: cancellationToken));
    }

    /// <summary>Jobs a node may take now: queued, or running with a lease run out (its node died), each the oldest unfinished of its dataset.</summary>
    public async Task<List<(string Id, long DatasetKey)>> RunnableAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string Id, long DatasetKey)>(new CommandDefinition(
            $"SELECT id, dataset_key FROM ingestion_jobs WHERE {Runnable} AND {OldestOfItsDataset} ORDER BY created_at, id LIMIT 10",
            new { now }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Takes the lease on a job for one node: true for exactly one node, whatever the others do at the same time. On PostgreSQL the
    /// claims of one dataset's jobs take turns (a transaction lock), so a claim always sees the one committed just before.
    /// </summary>
    public async Task<JobRow?> ClaimAsync(string id, long datasetKey, string node, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@space, @key)",
                new { space = ClaimLockSpace, key = unchecked((int)datasetKey) }, transaction, cancellationToken: cancellationToken));
        }
        var taken = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE ingestion_jobs SET status = 'running', lease_owner = @node, lease_until = @until, started_at = @now, attempts = attempts + 1
            WHERE id = @id AND {Runnable} AND {OldestOfItsDataset}
            """, new { id, node, now, until }, transaction, cancellationToken: cancellationToken));
        var row = taken == 1
            ? await connection.QuerySingleAsync<JobRow>(new CommandDefinition($"{Select} WHERE j.id = @id", new { id }, transaction, cancellationToken: cancellationToken))
            : null;
        await transaction.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>The first key of the advisory locks that take turns over one dataset's claims (the second is the dataset's key).</summary>
    private const int ClaimLockSpace = 0x19_0003;

    /// <summary>Extends this node's lease and records the progress; false when the node lost the job (another took it over).</summary>
    public async Task<bool> HeartbeatAsync(string id, string node, DateTimeOffset until, IngestionProgress progress, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE ingestion_jobs SET lease_until = @until, bytes_read = @BytesRead, rows_read = @RowsRead, rows_rejected = @RowsRejected
            WHERE id = @id AND status = 'running' AND lease_owner = @node
            """, new { id, node, until, progress.BytesRead, progress.RowsRead, progress.RowsRejected }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Gives a job this node holds back to the queue (the node is shutting down); another node, or this one after its restart, runs it.</summary>
    public async Task RequeueAsync(string id, string node, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE ingestion_jobs SET status = 'queued', started_at = NULL, lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @node AND status = 'running'",
            new { id, node }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records how the job ended, if <paramref name="node"/> still holds it (null: whoever holds it), and deletes its staged upload in
    /// the same transaction; false when another node holds the job now.
    /// </summary>
    public async Task<bool> FinishAsync(string id, string? node, LoadResult result, long bytesRead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE ingestion_jobs SET status = @status, rows_read = @RowsRead, rows_rejected = @RowsRejected, errors = @errors,
                message = @Message, quality = @quality, version = @Version, bytes_read = @bytesRead, finished_at = @now, spool_path = NULL,
                lease_owner = NULL, lease_until = NULL
            WHERE id = @id AND status IN ('queued', 'running') AND (@node IS NULL OR lease_owner = @node)
            """,
            new
            {
                id,
                node,
                status = result.Succeeded ? "succeeded" : "failed",
                result.RowsRead,
                result.RowsRejected,
                errors = JsonSerializer.Serialize(result.Errors, JsonSerializerOptions.Web),
                result.Message,
                quality = result.Quality is null ? null : JsonSerializer.Serialize(result.Quality, JsonSerializerOptions.Web),
                result.Version,
                bytesRead,
                now,
            }, transaction, cancellationToken: cancellationToken));
        if (changed == 1)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM ingestion_uploads WHERE job_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return changed == 1;
    }

    public static IngestionJob ToJob(JobRow row, IngestionProgress? live)
    {
        var status = Enum.Parse<IngestionStatus>(row.Status, ignoreCase: true);
        var bytesRead = live?.BytesRead ?? row.BytesRead;
        var progress = status switch
        {
            IngestionStatus.Succeeded => 1.0,
            IngestionStatus.Queued => 0.0,
            _ => row.BytesTotal == 0 ? 0 : Math.Min(1.0, (double)bytesRead / row.BytesTotal),
        };
        return new IngestionJob(row.Id, row.DatasetId, status, row.Charset, Math.Round(progress, 4), row.BytesTotal, bytesRead,
            live?.RowsRead ?? row.RowsRead, live?.RowsRejected ?? row.RowsRejected,
            JsonSerializer.Deserialize<List<RowError>>(row.Errors, JsonSerializerOptions.Web) ?? [],
            row.Message, row.Version, row.CreatedAt, row.StartedAt, row.FinishedAt,
            row.Quality is null ? null : JsonSerializer.Deserialize<QualityReport>(row.Quality, JsonSerializerOptions.Web));
    }
}
