using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Catalogue.GraphQL;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Records;

namespace OpenData.Platform.Analytics.Aggregates.GraphQL;

/// <summary><c>Dataset.aggregate</c>: REST's aggregate through the same <see cref="Aggregator"/> (checks, disclosure control, budget, quotas, audit).</summary>
internal sealed class AggregateDatasetFields : IDatasetFields
{
    public void AddTo(ObjectGraphType<DatasetRow> dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        dataset.Field<NonNullGraphType<AggregateGraphType>>("aggregate")
            .Description("Counts, sums, averages, minima and maxima per group, exactly as GET /v1/datasets/{id}/aggregate answers them.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("groupBy", $"Columns to group by (at most {AggregateQuery.MaxGroupColumns}); none: one group of every row.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("measures", "count, sum(col), avg(col), min(col), max(col); default count.")
            .Argument<StringGraphType>("where", "A filter in the records expression language.")
            .WithComplexityImpact(impact => PageComplexity.Of(impact, 100, Aggregator.MaxGroups))
            .ResolveAsync(async c =>
            {
                var groupBy = c.GetArgument<List<string>?>("groupBy");
                var measures = c.GetArgument<List<string>?>("measures");
                var request = new AggregateRequest(groupBy is null ? null : string.Join(',', groupBy), measures is null ? null : string.Join(',', measures), c.GetArgument<string?>("where"));
                var answer = await c.RequestServices!.GetRequiredService<Aggregator>().AggregateAsync(ReadCaller.Of(c.Http()), c.Source.Id, request, c.CancellationToken);
                return GraphErrors.ValueOf(answer);
            });
    }
}
