using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Records;

namespace OpenData.Platform.Analytics.Jobs;

/// <summary>
/// Routes of analysis jobs: <c>POST /v1/analysis-jobs</c> (access:request), <c>GET /v1/analysis-jobs</c> (<c>role=reviewer</c>: the
/// owner's airlock inbox), <c>GET /v1/analysis-jobs/{id}</c>, and the owner's <c>POST /v1/analysis-jobs/{id}/decision</c>.
/// </summary>
internal static class AnalysisJobsEndpoints
{
    public static RouteGroupBuilder MapAnalysisJobs(this IEndpointRouteBuilder routes)
    {
        // Run on the real rows and released by the real owner: never in the sandbox.
        var group = routes.MapGroup("/v1").WithTags("Analytics").LiveOnly("analysis jobs run on the real rows");
        group.MapPost("/analysis-jobs", Submit).WithName("SubmitAnalysisJob").RequireAuthorization(Scopes.AccessRequest)
            .Refuses(CommonErrors.Validation, CatalogueErrors.DatasetNotFound, CatalogueErrors.DatasetNotPublished, Aggregates.AggregatesErrors.InvalidGroupBy,
                Aggregates.AggregatesErrors.InvalidMeasure, Aggregates.AggregatesErrors.ColumnNotGroupable, RecordsErrors.Syntax, RecordsErrors.TooComplex,
                RecordsErrors.UnknownColumn, RecordsErrors.ColumnNotFilterable, RecordsErrors.TypeMismatch, RecordsErrors.OutsideAppScope)
            .WithSummary("Submits an analysis job: 1 to 20 aggregate queries `{groupBy[], measures[], where?}` on a dataset the caller may not read row by row. "
                + "202 `{id, status: queued}`; it runs on the real rows under the automatic output checks and waits for the owner's release.");
        group.MapGet("/analysis-jobs", List).WithName("ListAnalysisJobs").RequireAuthorization()
            .Refuses(CommonErrors.Validation)
            .WithSummary("The caller's jobs (outputs only once released), or with `role=reviewer` the jobs on its datasets with their checked outputs.");
        group.MapGet("/analysis-jobs/{id}", Get).WithName("GetAnalysisJob").RequireAuthorization()
            .Refuses(AnalysisJobsErrors.NotFound)
            .WithSummary("A job: its status; for the requester its outputs once released (minus the withheld ones); for the owner the checked outputs.");
        group.MapPost("/analysis-jobs/{id}/decision", Decide).WithName("DecideAnalysisJob").RequireAuthorization(Scopes.DatasetsWrite)
            .Refuses(CommonErrors.Validation, AnalysisJobsErrors.NotFound, AnalysisJobsErrors.NotOwner, AnalysisJobsErrors.NotAwaitingReview)
            .WithSummary("The dataset's owner decides a checked job once: `{decision: release|reject, reason, withhold?: [queryIndex]}`.");
        return group;
    }

    internal static async Task<Results<Accepted<AnalysisJobAccepted>, ProblemHttpResult>> Submit(
        AnalysisJobSubmission body, ClaimsPrincipal user, AnalysisJobService jobs, CancellationToken cancellationToken)
    {
        var outcome = await jobs.SubmitAsync(user, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Accepted($"/v1/analysis-jobs/{outcome.Value!.Id}", outcome.Value);
    }

    internal static async Task<Results<Ok<IReadOnlyList<AnalysisJobView>>, ProblemHttpResult>> List(
        string? role, string? status, ClaimsPrincipal user, AnalysisJobService jobs, CancellationToken cancellationToken)
    {
        var outcome = await jobs.ListAsync(user, role, status, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Ok<AnalysisJobView>, ProblemHttpResult>> Get(
        string id, ClaimsPrincipal user, AnalysisJobService jobs, CancellationToken cancellationToken)
    {
        var outcome = await jobs.GetAsync(user, id, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Ok<AnalysisJobView>, ProblemHttpResult>> Decide(
        string id, AnalysisJobDecision body, ClaimsPrincipal user, AnalysisJobService jobs, CancellationToken cancellationToken)
    {
        var outcome = await jobs.DecideAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }
}
