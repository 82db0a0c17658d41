using GraphQL.Types;

namespace OpenData.Platform.Risk.GraphQL;

/// <summary><c>type ReidentificationRisk</c>: the k-anonymity of the quasi-identifiers a view shows (as REST's <c>risk</c>).</summary>
internal sealed class ReidentificationRiskGraphType : ObjectGraphType<ReidentificationRisk>
{
    public ReidentificationRiskGraphType()
    {
        Name = "ReidentificationRisk";
        Description = "The k-anonymity of the quasi-identifier columns a view shows, counted on the values as it shows them.";
        Field<LongGraphType>("minK").Description("The fewest rows sharing one combination of quasi-identifiers; null without rows.")
            .Resolve(c => c.Source.MinK);
        Field<NonNullGraphType<FloatGraphType>>("shareBelow5").Description("The share of rows in a combination shared by fewer than 5 rows.")
            .Resolve(c => c.Source.ShareBelow5);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("quasiIdentifiers").Description("The columns measured.")
            .Resolve(c => c.Source.QuasiIdentifiers);
        Field<NonNullGraphType<LongGraphType>>("rows").Resolve(c => c.Source.Rows);
        Field<NonNullGraphType<LongGraphType>>("classes").Description("How many distinct combinations the rows form.").Resolve(c => c.Source.Classes);
        Field<NonNullGraphType<IntGraphType>>("version").Description("The dataset version measured.").Resolve(c => c.Source.Version);
        Field<NonNullGraphType<AccessLevelGraphType>>("level").Description("The access level of the view measured.").Resolve(c => c.Source.Level);
    }
}
