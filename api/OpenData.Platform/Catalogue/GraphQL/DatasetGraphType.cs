using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Records;
using OpenData.Platform.Records.GraphQL;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary><c>type Dataset</c>: metadata, this caller's columns and access, and <c>records</c> through the one read path.</summary>
internal sealed class DatasetGraphType : ObjectGraphType<DatasetRow>
{
    public DatasetGraphType()
    {
        Name = "Dataset";
        Description = "A dataset of the catalogue. Metadata and columns are public; rows of restricted and sensitive data need a grant.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Description);
        Field<NonNullGraphType<StringGraphType>>("theme").Description("The theme's id (see themes).").Resolve(c => c.Source.ThemeId);
        Field<NonNullGraphType<StringGraphType>>("owner").Description("The publishing organisation's id (see organisations).").Resolve(c => c.Source.OwnerId);
        Field<NonNullGraphType<ClassificationGraphType>>("classification").Resolve(c => c.Source.ParsedClassification);
        Field<NonNullGraphType<StringGraphType>>("license").Resolve(c => c.Source.License);
        Field<NonNullGraphType<StringGraphType>>("updateFrequency").Resolve(c => c.Source.UpdateFrequency);
        Field<IntGraphType>("version").Description("The published version served now; null before the first upload.").Resolve(c => c.Source.CurrentVersion);
        Field<NonNullGraphType<LongGraphType>>("rowCount").Resolve(c => c.Source.RowCount);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("updatedAt").Resolve(c => c.Source.UpdatedAt);
        Field<NonNullGraphType<DatasetAccessGraphType>>("access")
            .Description("What this caller may do with the rows: open, granted, requestable or pending.")
            .Resolve(c => Loader(c).View(c.User!, c.Source).Then(v => (object)v!.View.Access));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ColumnGraphType>>>>("columns")
            .Description("The columns, each with this caller's visibility.")
            .Resolve(c => Loader(c).View(c.User!, c.Source).Then(v => CatalogueEndpoints.ColumnsFor(v!.Schema, v.View)));
        Field<NonNullGraphType<RecordPageGraphType>>("records")
            .Description("A page of rows, exactly as GET /v1/datasets/{id}/records returns them: the same access checks, quotas, desensitisation and audit.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("select", "Columns to return (default: every column visible to the caller); an error's position is the 1-based index in this list.")
            .Argument<StringGraphType>("where", "A filter in the records expression language, e.g. areaCode = '330203' and name like '%村'.")
            .Argument<StringGraphType>("orderBy", "Sort keys, e.g. 'name desc, code'.")
            .Argument<IntGraphType>("first", $"Rows in the page: 1 to {RecordReader.MaxLimit}, default {RecordReader.DefaultLimit}.")
            .Argument<StringGraphType>("after", "The next value of the previous page, unchanged.")
            .WithComplexityImpact(impact => PageComplexity.Of(impact, RecordReader.DefaultLimit, RecordReader.MaxLimit))
            .ResolveAsync(async c =>
            {
                var request = new RecordRequest(null, c.GetArgument<string?>("where"), c.GetArgument<string?>("orderBy"), c.GetArgument<int?>("first"),
                    c.GetArgument<string?>("after"))
                {
                    SelectList = c.GetArgument<List<string>?>("select"),
                };
                var (page, refusal) = await c.RequestServices!.GetRequiredService<RecordReader>().ReadPageAsync(c.User!, c.Source.Id, request, c.CancellationToken);
                return refusal is null ? page : throw GraphErrors.From(refusal);
            });
    }

    private static DatasetLoader Loader(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<DatasetLoader>();
}
