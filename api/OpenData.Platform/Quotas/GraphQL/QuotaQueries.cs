using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Quotas.GraphQL;

/// <summary>The quota module's root fields: <c>quota</c> and <c>usage</c>.</summary>
internal sealed class QuotaQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<QuotaStatusGraphType>>("quota")
            .Description("The caller's plan, limits and what is left today, as GET /v1/quota (after this request's own admission).")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<QuotaReports>().StatusAsync(c.Http(), c.CancellationToken));
        query.Field<NonNullGraphType<UsageReportGraphType>>("usage")
            .Description("Usage per day, dataset and app, as GET /v1/usage: the caller's tenant, or any tenant for operators.")
            .Argument<StringGraphType>("from", "First day, yyyy-MM-dd (default: 29 days before to).")
            .Argument<StringGraphType>("to", "Last day, yyyy-MM-dd (default: today, China Standard Time).")
            .Argument<StringGraphType>("tenant", "Operators only: whose usage.")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                return GraphErrors.ValueOf(await c.RequestServices!.GetRequiredService<QuotaReports>().UsageAsync(
                    c.User!, c.GetArgument<string?>("from"), c.GetArgument<string?>("to"), c.GetArgument<string?>("tenant"), c.CancellationToken));
            });
    }
}
