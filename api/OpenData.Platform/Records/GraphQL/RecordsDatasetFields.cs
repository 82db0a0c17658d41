using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Catalogue.GraphQL;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Records.GraphQL;

/// <summary><c>Dataset.records</c>: a page of rows through the one read path (REST's reader, checks, quotas and audit).</summary>
internal sealed class RecordsDatasetFields : IDatasetFields
{
    public void AddTo(ObjectGraphType<DatasetRow> dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        dataset.Field<NonNullGraphType<RecordPageGraphType>>("records")
            .Description("A page of rows, exactly as GET /v1/datasets/{id}/records returns them: the same access checks, quotas, desensitisation and audit.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("select", "Columns to return (default: every column visible to the caller); an error's position is the 1-based index in this list.")
            .Argument<StringGraphType>("where", "A filter in the records expression language, e.g. areaCode = '330203' and name like '%村'.")
            .Argument<StringGraphType>("orderBy", "Sort keys, e.g. 'name desc, code'.")
            .Argument<IntGraphType>("first", $"Rows in the page: 1 to {RecordPlanner.MaxLimit}, default {RecordPlanner.DefaultLimit}.")
            .Argument<StringGraphType>("after", "The next value of the previous page, unchanged.")
            .WithComplexityImpact(impact => PageComplexity.Of(impact, RecordPlanner.DefaultLimit, RecordPlanner.MaxLimit))
            .ResolveAsync(async c =>
            {
                var request = new RecordRequest(null, c.GetArgument<string?>("where"), c.GetArgument<string?>("orderBy"), c.GetArgument<int?>("first"),
                    c.GetArgument<string?>("after"))
                {
                    SelectList = c.GetArgument<List<string>?>("select"),
                };
                var read = await c.RequestServices!.GetRequiredService<RecordReader>().ReadPageAsync(ReadCaller.Of(c.Http()), c.Source.Id, request, c.CancellationToken);
                return GraphErrors.ValueOf(read);
            });
    }
}
