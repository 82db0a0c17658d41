using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type CriterionScore</c>.</summary>
internal sealed class CriterionScoreGraphType : ObjectGraphType<CriterionScore>
{
    public CriterionScoreGraphType()
    {
        Name = "CriterionScore";
        Description = "One criterion's score on a judge's scorecard.";
        Field<NonNullGraphType<StringGraphType>>("criterion").Resolve(c => c.Source.Criterion);
        Field<NonNullGraphType<FloatGraphType>>("score").Resolve(c => c.Source.Score);
    }
}
