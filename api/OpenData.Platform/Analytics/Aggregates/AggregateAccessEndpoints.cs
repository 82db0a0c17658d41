using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>The owner's switch for aggregates without a grant: <c>GET</c> and <c>PUT /v1/datasets/{id}/aggregate-access</c>.</summary>
internal static class AggregateAccessEndpoints
{
    public static RouteGroupBuilder MapAggregateAccess(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/datasets/{id}").WithTags("Analytics").LiveOnly("the owner's aggregate access");
        group.MapGet("/aggregate-access", GetAccess).WithName("GetAggregateAccess").RequireAuthorization(Scopes.DatasetsWrite)
            .Refuses(CatalogueErrors.DatasetNotFound)
            .WithSummary("The dataset's aggregate access (its owner only): whether callers without a grant may aggregate it, and under which disclosure control.");
        group.MapPut("/aggregate-access", PutAccess).WithName("PutAggregateAccess").RequireAuthorization(Scopes.DatasetsWrite)
            .Refuses(CatalogueErrors.DatasetNotFound, CommonErrors.Validation, AggregatesErrors.ColumnNotGroupable)
            .WithSummary("Switches aggregates without a grant on or off (its owner only): `{enabled, k?, epsilon?, dailyBudget?, dominance?, groupable[], bounds{column: bound}}`; "
                + "defaults k 10, epsilon 1 per query, daily budget 10, dominance 85 %.");
        return group;
    }

    internal static async Task<Results<Ok<AggregateAccess>, ProblemHttpResult>> GetAccess(
        string id, ClaimsPrincipal user, AggregateAccessSettings settings, CancellationToken cancellationToken)
    {
        var outcome = await settings.GetAsync(user, id, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<Results<Ok<AggregateAccess>, ProblemHttpResult>> PutAccess(
        string id, AggregateAccessRequest body, ClaimsPrincipal user, AggregateAccessSettings settings, CancellationToken cancellationToken)
    {
        var outcome = await settings.SetAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }
}
