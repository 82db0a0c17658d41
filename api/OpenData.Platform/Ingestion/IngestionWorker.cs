using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Ingestion;

/// <summary>
/// Runs ingestion jobs, one at a time, on every node: any node takes a queued job (whichever node took the upload) or one whose
/// node died (its lease ran out), under a lease renewed by a heartbeat. It looks at its poll interval, and at once when an upload
/// arrives on this node. Chunks of uploads whose job never appeared are swept.
/// </summary>
internal sealed class IngestionWorker(IngestionService service, IngestionJobStore jobs, VersionStore versions, Database database, IOptions<IngestionOptions> options,
    TimeProvider clock, ILogger<IngestionWorker> logger) : BackgroundService
{
    private readonly string _node = WorkLease.NewHolder();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (database.Provider == DatabaseProvider.Postgres)
            {
                // Loads a crash left behind, whichever node ran them (a live load holds its lock and is left alone). On SQLite a
                // dataset's leftovers are dropped when its next job is claimed, so a node starting beside a loading peer spares it.
                await versions.RecoverAsync(stoppingToken);
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException && !stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "Interrupted loads could not be recovered at start; each is dropped when its dataset's next job runs");
        }
        await PollingLoop.RunAsync(options.Value.PollInterval, clock, RunTurnAsync,
            e => logger.LogError(e, "Ingestion jobs could not be looked for or recorded; trying again"), stoppingToken,
            wake: c => service.WaitForUploadAsync(c).AsTask());
    }

    /// <summary>One turn: every job this node can claim, run to its end; then the sweep of orphaned staged chunks.</summary>
    internal async Task RunTurnAsync(CancellationToken cancellationToken)
    {
        service.DrainWakeUps();
        var tried = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested && await ClaimNextAsync(tried, cancellationToken) is { } job)
        {
            tried.Add(job.Id);
            logger.LogInformation("Ingestion {Job} of {Dataset}: attempt {Attempt} on this node", job.Id, job.DatasetId, job.Attempts);
            try
            {
                await service.RunAsync(job, _node, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Not even the job's end could be recorded (the store down or full): its lease runs out and a node takes it again.
                // The worker goes on; a faulted background service would stop the host.
                logger.LogError(e, "Ingestion {Job} could not be run or recorded; it is taken again once its lease runs out", job.Id);
            }
        }
        await jobs.SweepStagedAsync(clock.GetUtcNow() - options.Value.OrphanStagingAge, cancellationToken);
    }

    /// <summary>Claims the first runnable job not <paramref name="tried"/> in this turn (one given back waits for the next turn).</summary>
    private async Task<JobRow?> ClaimNextAsync(HashSet<string> tried, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var (id, datasetKey) in await jobs.RunnableAsync(now, cancellationToken))
        {
            if (!tried.Contains(id) && await jobs.ClaimAsync(id, datasetKey, _node, now, now + options.Value.Lease, cancellationToken) is { } job)
            {
                return job;
            }
        }
        return null;
    }
}
