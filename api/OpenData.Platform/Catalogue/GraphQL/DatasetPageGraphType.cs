using GraphQL;
using GraphQL.Types;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary><c>type DatasetPage { items: [Dataset!]! next: String }</c>.</summary>
internal sealed class DatasetPageGraphType : ObjectGraphType<DatasetRowPage>
{
    public DatasetPageGraphType()
    {
        Name = "DatasetPage";
        Description = "A page of a catalogue search.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DatasetGraphType>>>>("items")
            .WithComplexityImpact(1, 1) // datasets(first) already multiplied what lies below
            .Resolve(c => c.Source.Items);
        Field<StringGraphType>("next").Description("Pass as after to get the following page; null on the last page.").Resolve(c => c.Source.Next);
    }
}
