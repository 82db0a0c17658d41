using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary><c>type Dataset</c>: metadata, this caller's columns and access, and <c>records</c> through the one read path.</summary>
internal sealed class DatasetGraphType : ObjectGraphType<DatasetRow>
{
    public DatasetGraphType(IEnumerable<IDatasetFields> extensions)
    {
        Name = "Dataset";
        Description = "A dataset of the catalogue. Metadata and columns are public; rows of restricted and sensitive data need a grant.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("title").Description("The catalogue's title (Chinese).").Resolve(c => c.Source.Title);
        Field<StringGraphType>("titleEn").Description("The English title; null when the owner gave none.").Resolve(c => c.Source.TitleEn);
        Field<NonNullGraphType<StringGraphType>>("description").Description("The catalogue's description (Chinese).").Resolve(c => c.Source.Description);
        Field<StringGraphType>("descriptionEn").Description("The English description; null when the owner gave none.").Resolve(c => c.Source.DescriptionEn);
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
        // Fields other modules own (records: the read path) come last, in the order their modules registered them.
        foreach (var extension in extensions)
        {
            extension.AddTo(this);
        }
    }

    private static DatasetLoader Loader(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<DatasetLoader>();
}

/// <summary>Fields another module adds to <c>type Dataset</c> (the records module adds <c>records</c>), so the catalogue does not depend on it.</summary>
internal interface IDatasetFields
{
    void AddTo(ObjectGraphType<DatasetRow> dataset);
}
