using System.Data.Common;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Analytics.Aggregates;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Analytics.Jobs;

/// <summary>
/// Runs queued analysis jobs: takes a job's lease (so two nodes never run one job), runs each query on the real rows through the
/// aggregate engine under the automatic output checks, and stores the checked outputs for the owner's review (awaiting_review), or
/// the reason it failed. Polls with the platform's clock.
/// </summary>
internal sealed class AnalysisJobWorker(AnalysisJobStore store, Aggregator aggregator, AggregateAccessStore settings, TimeProvider clock,
    IOptions<AnalysisJobOptions> options, ILogger<AnalysisJobWorker> logger) : BackgroundService
{
    private readonly string _node = WorkLease.NewHolder();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(options.Value.PollInterval, clock, RunQueuedAsync,
            e => logger.LogError(e, "Analysis jobs could not be run; trying again"), stoppingToken);

    /// <summary>Runs every job that is queued (or whose lease ran out) and that this node leases.</summary>
    internal async Task RunQueuedAsync(CancellationToken cancellationToken)
    {
        foreach (var id in await store.RunnableAsync(clock.GetUtcNow(), cancellationToken))
        {
            var now = clock.GetUtcNow();
            if (await store.LeaseAsync(id, _node, now, now + options.Value.Lease, cancellationToken))
            {
                await RunAsync(id, cancellationToken);
            }
        }
    }

    private async Task RunAsync(string id, CancellationToken cancellationToken)
    {
        var row = (await store.FindAsync(id, cancellationToken))!;
        // The requester, as the engine plans for it: it may not read the rows, so the job measures through the owner's view.
        var identity = new ClaimsIdentity("analysis-job", "name", null);
        identity.AddClaim(new Claim("sub", row.Requester));
        identity.AddClaim(new Claim(PlatformClaims.Tenant, row.TenantId));
        var requester = new ClaimsPrincipal(identity);
        var access = await settings.FindAsync(row.DatasetId, cancellationToken);
        var queries = JsonSerializer.Deserialize<List<AnalysisJobQuery>>(row.Queries, AnalysisJobService.Json)!;
        var outputs = new List<AnalysisJobOutput>();
        string? failure = null;
        for (var i = 0; i < queries.Count && failure is null; i++)
        {
            try
            {
                var answer = await aggregator.RunForReviewAsync(requester, row.DatasetId, AnalysisJobService.Request(queries[i]), access, run: true, cancellationToken);
                if (answer.Refusal is { } refusal)
                {
                    failure = $"queries[{i}]: {refusal.Detail}";
                    break;
                }
                var groups = answer.Value!;
                outputs.Add(new AnalysisJobOutput(i, groups, groups.Count(g => g["suppressed"] is true)));
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Analysis job {Job} query {Query} failed", id, i);
                failure = $"queries[{i}]: the query could not be run on the data ({e.GetType().Name}); submit it again or narrow it";
            }
        }
        var status = failure is null ? AnalysisJobStatus.AwaitingReview : AnalysisJobStatus.Failed;
        await store.FinishAsync(id, _node, status, failure is null ? JsonSerializer.Serialize(outputs, AnalysisJobService.Json) : null, failure, clock.GetUtcNow(),
            new Audit.AuditEvent("analysis_job.checked", row.TenantId, null, row.DatasetId, row.OwnerId, id,
                Audit.AuditDetails.Of(("status", status), ("outputs", outputs.Count), ("suppressed", outputs.Sum(o => o.Suppressed)), ("failure", failure))),
            cancellationToken);
    }
}
