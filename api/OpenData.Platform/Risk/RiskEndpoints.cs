using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;

namespace OpenData.Platform.Risk;

/// <summary>Routes of re-identification risk: <c>GET /v1/datasets/{id}/risk</c> for the dataset's owner and the platform's reviewers.</summary>
internal static class RiskEndpoints
{
    public static RouteGroupBuilder MapRisk(this IEndpointRouteBuilder routes)
    {
        // Measured on the real rows: a live reading for the owner and the reviewers, never a sandbox one.
        var group = routes.MapGroup("/v1/datasets/{id}").WithTags("Risk").WithMetadata(Common.Metered.Instance).LiveOnly("the re-identification risk of the real rows");
        group.MapGet("/risk", GetRisk).WithName("GetReidentificationRisk").RequireAuthorization()
            .Refuses(RiskErrors.NotReviewer, CatalogueErrors.DatasetNotFound, CatalogueErrors.DatasetNotPublished, Records.RecordsErrors.UnknownColumn)
            .WithSummary("The k-anonymity of the quasi-identifier columns a consumer would see (a grant of `columns` for restricted data, "
                + "the open view otherwise): the smallest group, the share of rows in groups under 5. For the owner and the platform's reviewers.");
        return group;
    }

    // columns: comma-separated, measured as a grant of just them would show them; all columns when left out.
    internal static async Task<Results<Ok<ReidentificationRisk>, ProblemHttpResult>> GetRisk(
        string id, string? columns, ClaimsPrincipal user, RiskMeter meter, CancellationToken cancellationToken)
    {
        var names = string.IsNullOrWhiteSpace(columns)
            ? null
            : columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var outcome = await meter.ForConsumersAsync(user, id, names, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }
}
