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

/// <summary>Takes uploads: stages the body where every node reaches it, records a job, and runs the jobs a node claims (<see cref="IngestionWorker"/>).</summary>
internal sealed class IngestionService(
    IngestionJobStore jobs,
    DatasetDirectory directory,
    DatasetDeclarations declarations,
    CsvLoader loader,
    VersionStore versions,
    DatabaseOptions database,
    IOptions<IngestionOptions> options,
    TimeProvider clock,
    ILogger<IngestionService> logger)
{
    /// <summary>An upload's staged chunk in the store (a row of <c>ingestion_uploads</c>).</summary>
    internal const int StagingChunkBytes = 1 << 20;

    private readonly Channel<string> _wake = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, IngestionProgress> _live = new();

    /// <summary>The counters of a job this node is running (other nodes' jobs report through their heartbeats in the store).</summary>
    public IngestionProgress? LiveProgress(string jobId) => _live.GetValueOrDefault(jobId);

    /// <summary>
    /// Where uploads are staged as files: the configured <c>StagingPath</c> (a folder every node mounts); else, on SQLite, the
    /// folder beside the database file, which every node of a SQLite store shares by necessity; else (PostgreSQL) none: uploads
    /// are staged in the store itself.
    /// </summary>
    public string? StagingFolder => !string.IsNullOrWhiteSpace(options.Value.StagingPath)
        ? options.Value.StagingPath
        : database.Provider == DatabaseProvider.Sqlite ? Path.Combine(database.DataDirectory, "uploads") : null;

    /// <summary>The largest upload accepted, in bytes.</summary>
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    /// <summary>
    /// The dataset a caller may upload a version of: it exists (404), belongs to the caller's organisation (403), and the
    /// organisation, if a licensed provider, still holds its licence (403 <c>dataset.licence_revoked</c>).
    /// </summary>
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
        if (await declarations.LicenceOfAsync(dataset.OwnerId, cancellationToken) == PublisherLicence.Revoked)
        {
            return DatasetDeclarations.LicenceRevoked(dataset.OwnerId);
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

    /// <summary>
    /// Stages the body where every node reaches it (the store, in chunks; or the shared folder <c>StagingPath</c>), then records the
    /// job, queued; a body cut short (client gone) leaves no job and nothing staged. Only one chunk is held in memory at a time.
    /// </summary>
    public async Task<(string? JobId, long Bytes, bool TooLarge)> AcceptAsync(DatasetSchema dataset, string ownerId, Stream body, string charset, long maxBytes, CancellationToken cancellationToken)
    {
        var jobId = Guid.CreateVersion7().ToString("N");
        var folder = StagingFolder;
        var path = folder is null ? null : Path.Combine(folder, jobId + ".csv");
        long total = 0;
        try
        {
            total = path is null
                ? await StageInStoreAsync(jobId, body, maxBytes, cancellationToken)
                : await StageInFolderAsync(path, body, maxBytes, cancellationToken);
            if (total > maxBytes || total == 0)
            {
                await DiscardAsync(jobId, path);
                return (null, total, total > maxBytes);
            }
            await jobs.CreateAsync(jobId, dataset.Key, dataset.Id, ownerId, charset, path, total, clock.GetUtcNow(), cancellationToken);
        }
        catch
        {
            await DiscardAsync(jobId, path);
            throw;
        }
        _wake.Writer.TryWrite(jobId);
        return (jobId, total, false);
    }

    private async Task<long> StageInStoreAsync(string jobId, Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[StagingChunkBytes];
        long total = 0;
        var filled = 0;
        var seq = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
        {
            total += read;
            filled += read;
            if (total > maxBytes)
            {
                return total;
            }
            if (filled == buffer.Length)
            {
                await jobs.StageChunkAsync(jobId, seq++, buffer, clock.GetUtcNow(), cancellationToken);
                filled = 0;
            }
        }
        if (filled > 0)
        {
            await jobs.StageChunkAsync(jobId, seq, buffer.AsSpan(0, filled).ToArray(), clock.GetUtcNow(), cancellationToken);
        }
        return total;
    }

    private static async Task<long> StageInFolderAsync(string path, Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
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
        return total;
    }

    private async Task DiscardAsync(string jobId, string? path)
    {
        if (path is not null)
        {
            File.Delete(path);
        }
        else
        {
            await jobs.DiscardStagedAsync(jobId, CancellationToken.None);
        }
    }

    /// <summary>Wakes this node's worker at once (an upload taken here) rather than at its next poll.</summary>
    public ValueTask<bool> WaitForUploadAsync(CancellationToken cancellationToken) => _wake.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Forgets the wake-ups so far (the worker is about to look at every runnable job).</summary>
    public void DrainWakeUps()
    {
        while (_wake.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>For tests: the next load this node runs stops dead after this many rows, as if the node died (0: never).</summary>
    internal long HaltAfterRows { get; set; }

    /// <summary>
    /// Runs one job this node has claimed to its end, renewing its lease as it goes. A dead attempt's half-loaded version (a node
    /// died) is dropped first, so the job runs again from the start of the staged upload and takes the same version number. On
    /// shutdown the job goes back to the queue; a node that lost the lease (another took over) stops and leaves the job alone.
    /// </summary>
    public async Task RunAsync(JobRow job, string node, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(job);
        var jobId = job.Id;
        var dataset = await directory.FindAsync(job.DatasetId, stopping);
        var staged = job.StagedInStore || (job.SpoolPath is not null && File.Exists(job.SpoolPath));
        if (dataset is null || !staged || !Charsets.TryResolve(job.Charset, out _, out var encoding))
        {
            var why = job.SpoolPath is not null && !File.Exists(job.SpoolPath)
                ? $"the uploaded file is no longer in the staging folder ({Path.GetDirectoryName(job.SpoolPath)}): is OpenData:Ingestion:StagingPath a folder every node shares? Upload it again"
                : "the dataset or the upload is gone; upload it again";
            var gone = new LoadResult(false, null, 0, 0, [], why);
            if (await jobs.FinishAsync(jobId, node, gone, 0, clock.GetUtcNow(), stopping))
            {
                IngestionTelemetry.Finished(gone, TimeSpan.Zero, platformFailed: true);
            }
            return;
        }
        if (!await versions.RecoverAsync(stopping, dataset.Key))
        {
            // The node that loaded the dead attempt still holds its load (PostgreSQL's lock): it is alive after all. Try later.
            logger.LogInformation("Ingestion {Job}: a load of {Dataset} is still running elsewhere; the job waits", jobId, dataset.Id);
            await jobs.RequeueAsync(jobId, node, stopping);
            return;
        }
        var progress = new IngestionProgress { BytesTotal = job.BytesTotal, HaltAfterRows = HaltAfterRows };
        _live[jobId] = progress;
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var done = new CancellationTokenSource();
        var length = options.Value.Lease;
        var lease = new WorkLease(c => jobs.HeartbeatAsync(jobId, node, clock.GetUtcNow() + length, progress, c), length, clock);
        var keeping = lease.KeepAsync(lost, e => logger.LogWarning(e, "Ingestion {Job}: the lease could not be renewed; trying again", jobId), done.Token);
        using var span = PlatformTelemetry.Source.StartActivity("ingestion.load");
        span?.SetTag("opendata.dataset", job.DatasetId);
        var startedAt = clock.GetTimestamp();
        Stream? source = null;
        try
        {
            source = job.StagedInStore
                ? new StagedUploadStream(jobs, jobId, job.BytesTotal)
                : new FileStream(job.SpoolPath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            // The loader is synchronous (Sep rows are ref structs); it runs on a pool thread of its own.
            var result = await Task.Factory.StartNew(() => loader.Load(dataset, source, encoding, progress, lost.Token),
                lost.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await StopKeepingAsync(done, keeping);
            if (!await jobs.FinishAsync(jobId, node, result, progress.BytesRead, clock.GetUtcNow(), CancellationToken.None))
            {
                logger.LogWarning("Ingestion {Job} ended here after another node took it over; the other node's outcome stands", jobId);
                return;
            }
            IngestionTelemetry.Finished(result, clock.GetElapsedTime(startedAt));
            span?.SetTag("opendata.outcome", result.Succeeded ? "succeeded" : "rejected");
            DeleteSpool(job.SpoolPath);
        }
        catch (IngestionHaltedException)
        {
            logger.LogWarning("Ingestion {Job} halted as if this node died (a test's hook)", jobId);
            HaltAfterRows = 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            logger.LogWarning("Ingestion {Job} interrupted by shutdown; another node (or this one at its next start) runs it again", jobId);
            await StopKeepingAsync(done, keeping);
            await jobs.RequeueAsync(jobId, node, CancellationToken.None);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            logger.LogWarning("Ingestion {Job}: another node took the job over; this node stopped loading it", jobId);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Ingestion {Job} failed", jobId);
            await StopKeepingAsync(done, keeping);
            var why = Storage.StoreFailures.Classify(e) == Storage.StoreFailure.Full
                ? "the platform's storage is full (storage.full): nothing was published and the versions already published are intact. Upload again once the operator has freed space"
                : "the platform could not load the file; nothing was published. The error is logged with this job's id";
            var failed = new LoadResult(false, null, progress.RowsRead, progress.RowsRejected, [], why);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            if (await jobs.FinishAsync(jobId, node, failed, progress.BytesRead, clock.GetUtcNow(), CancellationToken.None))
            {
                IngestionTelemetry.Finished(failed, clock.GetElapsedTime(startedAt), platformFailed: true);
                DeleteSpool(job.SpoolPath);
            }
        }
        finally
        {
            if (source is not null)
            {
                await source.DisposeAsync();
            }
            await StopKeepingAsync(done, keeping);
            _live.TryRemove(jobId, out _);
        }
    }

    private static async Task StopKeepingAsync(CancellationTokenSource done, Task<bool> keeping)
    {
        if (!done.IsCancellationRequested)
        {
            await done.CancelAsync();
        }
        await keeping;
    }

    private static void DeleteSpool(string? path)
    {
        if (path is not null)
        {
            File.Delete(path);
        }
    }
}
