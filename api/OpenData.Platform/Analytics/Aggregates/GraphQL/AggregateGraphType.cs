using GraphQL;
using GraphQL.Types;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Analytics.Aggregates.GraphQL;

/// <summary><c>type Aggregate { groups: [JSON!]! disclosure: JSON! version: Int! }</c>: REST's aggregate answer.</summary>
internal sealed class AggregateGraphType : ObjectGraphType<AggregateDocument>
{
    public AggregateGraphType()
    {
        Name = "Aggregate";
        Description = "Groups of an aggregate and how the answer was protected.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<JsonGraphType>>>>("groups")
            .Description("One JSON object per group: its group_by values, count, each measure and suppressed, exactly as REST returns them.")
            .WithComplexityImpact(1, 1)
            .Resolve(c => c.Source.Groups);
        Field<NonNullGraphType<JsonGraphType>>("disclosure")
            .Description("{mode, k, dominance, noise, budgetSpent, budgetLeft}, as REST returns it.")
            .Resolve(c => c.Source.Disclosure);
        Field<NonNullGraphType<IntGraphType>>("version").Description("The dataset version aggregated.").Resolve(c => c.Source.Version);
    }
}
