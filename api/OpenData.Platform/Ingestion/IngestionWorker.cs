using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
                await service.RunAsync(jobId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
