using System.Security.Claims;
using System.Text.Json;
using OpenData.Platform.Analytics.Aggregates;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Analytics.Jobs;

/// <summary>
/// Analysis jobs released through an airlock (issue 18 part 3): a requester declares 1 to 20 aggregate queries on a dataset it may not
/// read row by row; <see cref="AnalysisJobWorker"/> runs them on the real rows through the aggregate engine under the automatic output
/// checks (k and secondary suppression, dominance, seeded Laplace noise, with the owner's aggregate-access settings or the defaults);
/// the dataset's owner then releases them (optionally withholding some) or rejects them, once, with a reason. The requester sees no
/// output, not even a row count, until released, and never after a rejection.
/// </summary>
internal sealed class AnalysisJobService(AnalysisJobStore store, DatasetDirectory directory, Aggregator aggregator, AggregateAccessStore settings, TimeProvider clock)
{
    public const int MaxQueries = 20;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Outcome<AnalysisJobAccepted>> SubmitAsync(ClaimsPrincipal user, AnalysisJobSubmission body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var tenant = user.TenantId()!;
        if (string.IsNullOrWhiteSpace(body.DatasetId))
        {
            return Refusal.BadRequest(CommonErrors.Validation, "datasetId: name the dataset the queries run on");
        }
        if (body.Queries is null || body.Queries.Count is 0 or > MaxQueries)
        {
            return Refusal.BadRequest(CommonErrors.Validation, $"queries: 1 to {MaxQueries} queries, each {{\"groupBy\": [\"col\"], \"measures\": [\"count\"], \"where\": \"…\"}}");
        }
        var dataset = await directory.FindAsync(body.DatasetId, cancellationToken);
        if (dataset is null)
        {
            return DatasetDirectory.NotFound(body.DatasetId);
        }
        var id = "job_" + Guid.NewGuid().ToString("N");
        var access = await settings.FindAsync(dataset.Id, cancellationToken);
        var queries = new List<AnalysisJobQuery>();
        for (var i = 0; i < body.Queries.Count; i++)
        {
            var query = body.Queries[i];
            if (query is null)
            {
                return Refusal.BadRequest(CommonErrors.Validation, $"queries[{i}]: a query is an object {{\"groupBy\": […], \"measures\": […], \"where\": \"…\"}}");
            }
            if (query.GroupBy?.Any(string.IsNullOrWhiteSpace) == true || query.Measures?.Any(string.IsNullOrWhiteSpace) == true)
            {
                return Refusal.BadRequest(CommonErrors.Validation, $"queries[{i}]: groupBy and measures list non-empty names");
            }
            var normalised = new AnalysisJobQuery(query.GroupBy ?? [], query.Measures is { Count: > 0 } ? query.Measures : ["count"], query.Where);
            var checkedQuery = await aggregator.RunForReviewAsync(user, dataset.Id, Request(normalised), access, run: false, cancellationToken);
            if (checkedQuery.Refusal is { } refusal)
            {
                return refusal.Status == 400 ? refusal with { Detail = $"queries[{i}]: {refusal.Detail}" } : refusal;
            }
            queries.Add(normalised);
        }
        var now = clock.GetUtcNow();
        await store.InsertAsync(new AnalysisJobStore.JobRow
        {
            Id = id, TenantId = tenant, Requester = user.Actor() ?? tenant, DatasetId = dataset.Id, OwnerId = dataset.OwnerId,
            Queries = JsonSerializer.Serialize(queries, Json), Status = AnalysisJobStatus.Queued, CreatedAt = now, UpdatedAt = now,
        }, new Audit.AuditEvent("analysis_job.submitted", tenant, user.Actor(), dataset.Id, dataset.OwnerId, id,
            Audit.AuditDetails.Of(("queries", queries.Count))), cancellationToken);
        return new AnalysisJobAccepted(id, AnalysisJobStatus.Queued);
    }

    /// <summary>One job, for its requester (outputs only once released, minus the withheld) or the dataset's owner (the checked outputs); 404 for anyone else.</summary>
    public async Task<Outcome<AnalysisJobView>> GetAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var tenant = user.TenantId();
        var row = await store.FindAsync(id, cancellationToken);
        if (row is null || tenant is null || (row.TenantId != tenant && row.OwnerId != tenant))
        {
            return NotFound(id);
        }
        return ToView(row, reviewer: row.OwnerId == tenant);
    }

    /// <summary>The caller's jobs, or with <c>role=reviewer</c> the jobs on the datasets it owns (its airlock inbox).</summary>
    public async Task<Outcome<IReadOnlyList<AnalysisJobView>>> ListAsync(ClaimsPrincipal user, string? role, string? status, CancellationToken cancellationToken)
    {
        if (role is not (null or "requester" or "reviewer"))
        {
            return Refusal.BadRequest(CommonErrors.Validation, "role: requester (the jobs this tenant submitted, the default) or reviewer (the jobs on its datasets)");
        }
        var reviewer = role == "reviewer";
        var rows = await store.ListAsync(user.TenantId()!, reviewer, string.IsNullOrWhiteSpace(status) ? null : status, cancellationToken);
        return rows.Select(r => ToView(r, reviewer)).ToList();
    }

    public async Task<Outcome<AnalysisJobView>> DecideAsync(ClaimsPrincipal user, string id, AnalysisJobDecision body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var tenant = user.TenantId();
        var row = await store.FindAsync(id, cancellationToken);
        if (row is null || tenant is null || (row.TenantId != tenant && row.OwnerId != tenant))
        {
            return NotFound(id);
        }
        if (row.OwnerId != tenant || !user.HasScope(Scopes.DatasetsWrite))
        {
            return Refusal.Forbidden(AnalysisJobsErrors.NotOwner, $"only the owner of '{row.DatasetId}' ('{row.OwnerId}', with datasets:write) decides this job");
        }
        if (body.Decision is not ("release" or "reject"))
        {
            return Refusal.BadRequest(CommonErrors.Validation, "decision: release or reject");
        }
        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            return Refusal.BadRequest(CommonErrors.Validation, "reason: say why the outputs are released or rejected");
        }
        var count = JsonSerializer.Deserialize<List<AnalysisJobQuery>>(row.Queries, Json)!.Count;
        var withhold = (body.Withhold ?? []).Distinct().Order().ToList();
        if (withhold.Count > 0 && body.Decision == "reject")
        {
            return Refusal.BadRequest(CommonErrors.Validation, "withhold: only a release withholds outputs; a rejection withholds them all");
        }
        if (withhold.Exists(i => i < 0 || i >= count))
        {
            return Refusal.BadRequest(CommonErrors.Validation, $"withhold: query indexes from 0 to {count - 1}");
        }
        if (row.Status != AnalysisJobStatus.AwaitingReview)
        {
            return Conflict(row);
        }
        var now = clock.GetUtcNow();
        var status = body.Decision == "release" ? AnalysisJobStatus.Released : AnalysisJobStatus.Rejected;
        var entry = new Audit.AuditEvent("analysis_job." + status, tenant, user.Actor(), row.DatasetId, row.OwnerId, id,
            Audit.AuditDetails.Of(("reason", body.Reason), ("withheld", withhold)));
        var decided = await store.DecideAsync(id, status, body.Reason, status == AnalysisJobStatus.Released ? JsonSerializer.Serialize(withhold, Json) : null,
            user.Actor() ?? tenant, now, entry, row.TenantId, new { id, datasetId = row.DatasetId, decision = body.Decision }, cancellationToken);
        if (!decided)
        {
            return Conflict((await store.FindAsync(id, cancellationToken))!);
        }
        return ToView((await store.FindAsync(id, cancellationToken))!, reviewer: true);
    }

    internal static AggregateRequest Request(AnalysisJobQuery query) =>
        new(string.Join(',', query.GroupBy ?? []), string.Join(',', query.Measures ?? []), query.Where);

    private static AnalysisJobView ToView(AnalysisJobStore.JobRow row, bool reviewer)
    {
        var queries = JsonSerializer.Deserialize<List<AnalysisJobQuery>>(row.Queries, Json)!;
        var withheld = row.Withheld is null ? null : JsonSerializer.Deserialize<List<int>>(row.Withheld, Json);
        IReadOnlyList<AnalysisJobOutput>? outputs = null;
        // The airlock: the requester gets outputs only once released, and only the ones not withheld.
        if (row.Outputs is not null && (reviewer || row.Status == AnalysisJobStatus.Released))
        {
            var all = JsonSerializer.Deserialize<List<AnalysisJobOutput>>(row.Outputs, Json)!;
            outputs = reviewer ? all : all.Where(o => withheld?.Contains(o.Query) != true).ToList();
        }
        return new AnalysisJobView(row.Id, row.DatasetId, row.TenantId, row.Status, queries, row.CreatedAt, row.Failure, row.DecisionReason, withheld, row.DecidedAt, outputs);
    }

    private static Refusal NotFound(string id) => Refusal.NotFound(AnalysisJobsErrors.NotFound, $"no analysis job '{id}' submitted by or awaiting review of this tenant");

    private static Refusal Conflict(AnalysisJobStore.JobRow row) => new(409, AnalysisJobsErrors.NotAwaitingReview,
        $"job '{row.Id}' is {row.Status}: a job is decided once, after its outputs were checked");
}
