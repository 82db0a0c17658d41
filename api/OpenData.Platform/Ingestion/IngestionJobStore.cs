using System.Text.Json;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Ingestion;

/// <summary>The SQL of ingestion jobs.</summary>
internal sealed class IngestionJobStore(Database database)
{
    private const string Select =
        "SELECT j.id, j.dataset_key, j.dataset_id, j.owner_id, j.status, j.charset, j.spool_path, j.bytes_total, j.bytes_read, " +
        "j.rows_read, j.rows_rejected, j.errors, j.message, j.quality, j.version, j.created_at, j.started_at, j.finished_at " +
        "FROM ingestion_jobs j";

    public async Task CreateAsync(string id, long datasetKey, string datasetId, string ownerId, string charset, string spoolPath, long bytes, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ingestion_jobs (id, dataset_key, dataset_id, owner_id, status, charset, spool_path, bytes_total, created_at) " +
            "VALUES (@id, @datasetKey, @datasetId, @ownerId, 'queued', @charset, @spoolPath, @bytes, @now)",
            new { id, datasetKey, datasetId, ownerId, charset, spoolPath, bytes, now }, cancellationToken: cancellationToken));
    }

    public async Task<JobRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition($"{Select} WHERE j.id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<List<JobRow>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<JobRow>(new CommandDefinition(
            $"{Select} WHERE j.status IN ('queued', 'running') ORDER BY j.created_at", cancellationToken: cancellationToken))).ToList();
    }

    public async Task StartAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE ingestion_jobs SET status = 'running', started_at = @now WHERE id = @id", new { id, now }, cancellationToken: cancellationToken));
    }

    public async Task RequeueAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE ingestion_jobs SET status = 'queued', started_at = NULL WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task FinishAsync(string id, LoadResult result, long bytesRead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE ingestion_jobs SET status = @status, rows_read = @RowsRead, rows_rejected = @RowsRejected, errors = @errors,
                message = @Message, quality = @quality, version = @Version, bytes_read = @bytesRead, finished_at = @now, spool_path = NULL
            WHERE id = @id
            """,
            new
            {
                id,
                status = result.Succeeded ? "succeeded" : "failed",
                result.RowsRead,
                result.RowsRejected,
                errors = JsonSerializer.Serialize(result.Errors, JsonSerializerOptions.Web),
                result.Message,
                quality = result.Quality is null ? null : JsonSerializer.Serialize(result.Quality, JsonSerializerOptions.Web),
                result.Version,
                bytesRead,
                now,
            }, cancellationToken: cancellationToken));
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
