using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Ingestion;

/// <summary>Takes uploads: spools the body to disk, records a job, and hands it to the background worker.</summary>
internal sealed class IngestionService(
    IngestionJobStore jobs,
    DatasetDirectory directory,
    CsvLoader loader,
    DatabaseOptions database,
    TimeProvider clock,
    ILogger<IngestionService> logger)
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, IngestionProgress> _live = new();

    public ChannelReader<string> Queue => _queue.Reader;

    public IngestionProgress? LiveProgress(string jobId) => _live.GetValueOrDefault(jobId);

    public string SpoolFolder => Path.Combine(database.DataDirectory, "uploads");

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
            await jobs.FinishAsync(jobId, new LoadResult(false, null, 0, 0, [], "the uploaded file is no longer on this node; upload it again"), 0, clock.GetUtcNow(), stopping);
            return;
        }
        var progress = new IngestionProgress { BytesTotal = job.BytesTotal };
        _live[jobId] = progress;
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
            await jobs.FinishAsync(jobId, new LoadResult(false, null, progress.RowsRead, progress.RowsRejected, [], why),
                progress.BytesRead, clock.GetUtcNow(), CancellationToken.None);
            File.Delete(job.SpoolPath);
        }
        finally
        {
            _live.TryRemove(jobId, out _);
        }
    }
}
