using System.Collections.Concurrent;
using System.Security.Claims;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Ingestion;

/// <summary>Takes uploads: spools the body to disk, records a job, and hands it to the background worker.</summary>
internal sealed class IngestionService(
    IngestionJobStore jobs,
    DatasetDirectory directory,
    CsvLoader loader,
    DatabaseOptions database,
    IOptions<IngestionOptions> options,
    TimeProvider clock,
    ILogger<IngestionService> logger)
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, IngestionProgress> _live = new();

    public ChannelReader<string> Queue => _queue.Reader;

    public IngestionProgress? LiveProgress(string jobId) => _live.GetValueOrDefault(jobId);

    public string SpoolFolder => Path.Combine(database.DataDirectory, "uploads");

    /// <summary>The largest upload accepted, in bytes.</summary>
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    /// <summary>The dataset a caller may upload a version of: it exists (404) and belongs to the caller's organisation (403).</summary>
    public async Task<Outcome<DatasetSchema>> UploadTargetAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var dataset = await directory.FindAsync(id, cancellationToken);
        if (dataset is null)
        {
            return DatasetDirectory.NotFound(id);
        }
        if (dataset.OwnerId != user.TenantId())
        {
            return Refusal.Forbidden(IngestionErrors.NotOwner, $"'{id}' belongs to {dataset.OwnerId}; only its owner publishes versions");
        }
        return dataset;
    }

    /// <summary>
    /// Takes an upload of a new version of <paramref name="dataset"/> (checked by <see cref="UploadTargetAsync"/>): the charset
    /// (utf-8 or gb18030, 415), the size (413: the declared length up front, the body as it is read) and an empty body (400);
    /// the job, queued, or the refusal. The same for <c>POST /v1/datasets/{id}/versions</c> and the portal's upload page.
    /// </summary>
    public async Task<Outcome<IngestionJob>> UploadAsync(DatasetSchema dataset, Stream body, string? charset, long? contentLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(body);
        if (!Charsets.TryResolve(charset, out var canonical, out _))
        {
            return new Refusal(StatusCodes.Status415UnsupportedMediaType, IngestionErrors.UnsupportedCharset, $"charset '{charset}' is not supported: use utf-8 or gb18030");
        }
        var max = MaxUploadBytes;
        if (contentLength > max)
        {
            return TooLarge(max);
        }
        if (contentLength == 0)
        {
            return Empty();
        }
        string? jobId;
        long bytes;
        bool tooLarge;
        try
        {
            (jobId, bytes, tooLarge) = await AcceptAsync(dataset, dataset.OwnerId, body, canonical, max, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A chunked body has no Content-Length to refuse up front; Kestrel stops it at the limit.
            return TooLarge(max);
        }
        if (tooLarge)
        {
            return TooLarge(max);
        }
        if (jobId is null || bytes == 0)
        {
            return Empty();
        }
        var job = await jobs.FindAsync(jobId, cancellationToken);
        return IngestionJobStore.ToJob(job!, LiveProgress(jobId));
    }

    /// <summary>A job as its owner sees it, live progress included; another organisation's job answers as if it did not exist.</summary>
    public async Task<Outcome<IngestionJob>> FindAsync(ClaimsPrincipal user, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var job = await jobs.FindAsync(jobId, cancellationToken);
        if (job is null || job.OwnerId != user.TenantId())
        {
            return Refusal.NotFound(IngestionErrors.JobNotFound, $"no ingestion job '{jobId}' for this organisation");
        }
        return IngestionJobStore.ToJob(job, LiveProgress(jobId));
    }

    private static Refusal TooLarge(long max) =>
        new(StatusCodes.Status413PayloadTooLarge, IngestionErrors.TooLarge, $"the file is larger than the limit of {max} bytes: split it, or load it with the operator command 'import'");

    private static Refusal Empty() => Refusal.BadRequest(IngestionErrors.Empty, "the body is empty: send a CSV with a header line and rows");

    /// <summary>Copies the body to a spool file; a body cut short (client gone) leaves no job and no file.</summary>
    public async Task<(string? JobId, long Bytes, bool TooLarge)> AcceptAsync(DatasetSchema dataset, string ownerId, Stream body, string charset, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(SpoolFolder);
        var jobId = Guid.CreateVersion7().ToString("N");
        var path = Path.Combine(SpoolFolder, jobId + ".csv");
        long total = 0;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        break;
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            if (total > maxBytes || total == 0)
            {
                File.Delete(path);
                return (null, total, total > maxBytes);
            }
            await jobs.CreateAsync(jobId, dataset.Key, dataset.Id, ownerId, charset, path, total, clock.GetUtcNow(), cancellationToken);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        await _queue.Writer.WriteAsync(jobId, cancellationToken);
        return (jobId, total, false);
    }

    public void Enqueue(string jobId) => _queue.Writer.TryWrite(jobId);

    /// <summary>Runs one job to its end; on shutdown the job goes back to the queue and its half-loaded version is dropped.</summary>
    public async Task RunAsync(string jobId, CancellationToken stopping)
    {
        var job = await jobs.FindAsync(jobId, stopping);
        if (job is null || job.Status is "succeeded" or "failed")
        {
            return;
        }
        var dataset = await directory.FindAsync(job.DatasetId, stopping);
        if (dataset is null || job.SpoolPath is null || !File.Exists(job.SpoolPath) || !Charsets.TryResolve(job.Charset, out _, out var encoding))
        {
            var lost = new LoadResult(false, null, 0, 0, [], "the uploaded file is no longer on this node; upload it again");
            await jobs.FinishAsync(jobId, lost, 0, clock.GetUtcNow(), stopping);
            IngestionTelemetry.Finished(lost, TimeSpan.Zero, platformFailed: true);
            return;
        }
        var progress = new IngestionProgress { BytesTotal = job.BytesTotal };
        _live[jobId] = progress;
        using var span = PlatformTelemetry.Source.StartActivity("ingestion.load");
        span?.SetTag("opendata.dataset", job.DatasetId);
        var startedAt = clock.GetTimestamp();
        try
        {
            await jobs.StartAsync(jobId, clock.GetUtcNow(), stopping);
            LoadResult result;
            await using (var file = new FileStream(job.SpoolPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                // The loader is synchronous (Sep rows are ref structs); it runs on a pool thread of its own.
                result = await Task.Factory.StartNew(() => loader.Load(dataset, file, encoding, progress, stopping),
                    stopping, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            await jobs.FinishAsync(jobId, result, progress.BytesRead, clock.GetUtcNow(), CancellationToken.None);
            IngestionTelemetry.Finished(result, clock.GetElapsedTime(startedAt));
            span?.SetTag("opendata.outcome", result.Succeeded ? "succeeded" : "rejected");
            File.Delete(job.SpoolPath);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            logger.LogWarning("Ingestion {Job} interrupted by shutdown; it runs again at the next start", jobId);
            await jobs.RequeueAsync(jobId, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Ingestion {Job} failed", jobId);
            var why = Storage.StoreFailures.Classify(e) == Storage.StoreFailure.Full
                ? "the platform's storage is full (storage.full): nothing was published and the versions already published are intact. Upload again once the operator has freed space"
                : "the platform could not load the file; nothing was published. The error is logged with this job's id";
            var failed = new LoadResult(false, null, progress.RowsRead, progress.RowsRejected, [], why);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            await jobs.FinishAsync(jobId, failed, progress.BytesRead, clock.GetUtcNow(), CancellationToken.None);
            IngestionTelemetry.Finished(failed, clock.GetElapsedTime(startedAt), platformFailed: true);
            File.Delete(job.SpoolPath);
        }
        finally
        {
            _live.TryRemove(jobId, out _);
        }
    }
}
