using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Tenancy.GraphQL;

/// <summary>Tenancy's root field: <c>me</c>.</summary>
internal sealed class TenancyQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<MeGraphType>("me")
            .Description("Who the access token speaks for; null without a token.")
            .ResolveAsync(async c => c.User?.Identity?.IsAuthenticated == true
                ? await c.RequestServices!.GetRequiredService<TenancyService>().DescribeAsync(c.User, c.CancellationToken)
                : null);
    }
}
