using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Catalogue;

namespace OpenData.Platform.Ingestion;

/// <summary>Runs ingestion jobs one at a time, and on start picks up what a previous run left: half-loaded versions are dropped, unfinished jobs run again.</summary>
internal sealed class IngestionWorker(IngestionService service, IngestionJobStore jobs, VersionStore versions, ILogger<IngestionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await versions.RecoverAsync(stoppingToken);
            foreach (var job in await jobs.UnfinishedAsync(stoppingToken))
            {
                if (job.SpoolPath is not null && File.Exists(job.SpoolPath))
                {
                    logger.LogInformation("Resuming ingestion {Job} of {Dataset}", job.Id, job.DatasetId);
                    service.Enqueue(job.Id);
                }
            }
            await foreach (var jobId in service.Queue.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await service.RunAsync(jobId, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Not even the job's failure could be recorded (the store down or full): the job stays unfinished and runs
                    // again at the next start. The worker goes on with the next job; a faulted background service would stop the host.
                    logger.LogError(e, "Ingestion {Job} could not be run or recorded; it runs again at the next start", jobId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
