using GraphQL.Types;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary><c>type Column</c>: a column and how this caller sees it.</summary>
internal sealed class ColumnGraphType : ObjectGraphType<ColumnView>
{
    public ColumnGraphType()
    {
        Name = "Column";
        Description = "A column of a dataset, with this caller's visibility of its values.";
        Field<NonNullGraphType<StringGraphType>>("name").Description("The name rows use as key.").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<ColumnTypeGraphType>>("type").Resolve(c => c.Source.Type);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<StringGraphType>("description").Resolve(c => c.Source.Description);
        Field<StringGraphType>("tag").Description("The desensitisation tag (pii.phone, pii.id_card, …), if any.").Resolve(c => c.Source.Tag);
        Field<NonNullGraphType<ColumnVisibilityGraphType>>("visibility").Description("How this caller sees the values.").Resolve(c => c.Source.Visibility);
        Field<NonNullGraphType<BooleanGraphType>>("filterable").Description("Whether this caller may filter and sort on the column.").Resolve(c => c.Source.Filterable);
        Field<NonNullGraphType<BooleanGraphType>>("suspected")
            .Description("Untagged, but personal values were found in it: scanned on the way out, not filterable until its owner tags it.")
            .Resolve(c => c.Source.Suspected);
        Field<NonNullGraphType<BooleanGraphType>>("indexed")
            .Description("Its owner declared it indexed: every version's table has an index on it (equality, ranges, in, prefix like, sorting).")
            .Resolve(c => c.Source.Indexed);
    }
}
