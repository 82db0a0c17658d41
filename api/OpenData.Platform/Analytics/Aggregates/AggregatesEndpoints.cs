using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Quotas;
using OpenData.Platform.Records;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>Routes of aggregates: <c>GET /v1/datasets/{id}/aggregate</c>, for whoever may read the rows (open data, a grant).</summary>
internal static class AggregatesEndpoints
{
    /// <summary>The header of a controlled answer: <c>spent=…, left=…, epsilon=…</c> of the caller's privacy budget on the dataset today.</summary>
    public const string PrivacyBudgetHeader = "Privacy-Budget";

    public static RouteGroupBuilder MapAggregates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/datasets/{id}").WithTags("Analytics").WithMetadata(Metered.Instance);
        group.MapGet("/aggregate", GetAggregate).WithName("GetAggregate").AllowAnonymous()
            .Refuses(AggregatesErrors.InvalidGroupBy, AggregatesErrors.InvalidMeasure, AggregatesErrors.ColumnNotGroupable, AggregatesErrors.TooManyGroups,
                RecordsErrors.Syntax, RecordsErrors.TooComplex, RecordsErrors.UnknownColumn, RecordsErrors.ColumnNotFilterable, RecordsErrors.TypeMismatch,
                RecordsErrors.InvalidToken, RecordsErrors.TokenTooLong, CommonErrors.TokenRequired, RecordsErrors.GrantRequired, RecordsErrors.OutsideAppScope,
                CatalogueErrors.DatasetNotFound, CatalogueErrors.DatasetNotPublished, QuotasErrors.DailyExceeded, RecordsErrors.Timeout,
                RecordsErrors.TwinGenerating, RecordsErrors.TwinWithheld, AggregatesErrors.BudgetExhausted)
            .WithSummary("Counts, sums, averages, minima and maxima of the rows where selects, per group of group_by values; "
                + "exact for whoever may read the rows, on columns seen in clear; under disclosure control (k, secondary suppression, dominance, "
                + "seeded Laplace noise, a daily privacy budget) for a signed-in caller without a grant when the owner switched aggregate access on. "
                + "Each group counts as a row of the daily quota.");
        routes.MapAggregateAccess();
        return group;
    }

    internal static async Task<Results<Ok<AggregateDocument>, ProblemHttpResult>> GetAggregate(
        string id, [FromQuery(Name = "group_by")] string? groupBy, string? measures, string? where, Aggregator aggregator, HttpContext context,
        CancellationToken cancellationToken)
    {
        var answer = await aggregator.AggregateAsync(ReadCaller.Of(context), id, new AggregateRequest(groupBy, measures, where), cancellationToken);
        if (answer.Refusal is { } refusal)
        {
            return Problems.From(refusal, context.Response);
        }
        if (answer.Value!.Disclosure is { BudgetSpent: { } spent, BudgetLeft: { } left } disclosure)
        {
            // The budget in a header too, as RateLimit reports the quota: what this dataset's budget has spent today and has left.
            context.Response.Headers[PrivacyBudgetHeader] = string.Create(CultureInfo.InvariantCulture,
                $"spent={spent}, left={left}, epsilon={disclosure.Noise.Epsilon}");
        }
        return TypedResults.Ok(answer.Value);
    }
}
