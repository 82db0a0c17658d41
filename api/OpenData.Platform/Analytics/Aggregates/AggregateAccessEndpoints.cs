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
        string id, ClaimsPrincipal user, DatasetDirectory directory, AggregateAccessStore store, CancellationToken cancellationToken)
    {
        var dataset = await directory.FindAsync(id, cancellationToken);
        if (dataset is null || dataset.OwnerId != user.TenantId())
        {
            return Problems.From(DatasetDirectory.NotFound(id));
        }
        return TypedResults.Ok(await store.FindAsync(dataset.Id, cancellationToken)
            ?? new AggregateAccess(false, AggregateAccess.DefaultK, AggregateAccess.DefaultEpsilon, AggregateAccess.DefaultDailyBudget, AggregateAccess.DefaultDominance, [], new Dictionary<string, double>()));
    }

    internal static async Task<Results<Ok<AggregateAccess>, ProblemHttpResult>> PutAccess(
        string id, AggregateAccessRequest body, ClaimsPrincipal user, DatasetDirectory directory, AggregateAccessStore store, CancellationToken cancellationToken)
    {
        // Another tenant's dataset reads as none, as for the owner's other dataset routes.
        var dataset = await directory.FindAsync(id, cancellationToken);
        if (dataset is null || dataset.OwnerId != user.TenantId())
        {
            return Problems.From(DatasetDirectory.NotFound(id));
        }
        var access = AggregateAccess.From(body, dataset);
        if (access.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        await store.SaveAsync(dataset.Id, access.Value!, user.Actor() ?? user.TenantId()!, cancellationToken);
        return TypedResults.Ok(access.Value!);
    }
}
