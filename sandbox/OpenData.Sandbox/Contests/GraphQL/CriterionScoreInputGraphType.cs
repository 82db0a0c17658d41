using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>input CriterionScoreInput</c>: a criterion's score as <c>scoreEntry</c> takes it.</summary>
internal sealed class CriterionScoreInputGraphType : InputObjectGraphType<ScoreInput>
{
    public CriterionScoreInputGraphType()
    {
        Name = "CriterionScoreInput";
        Description = "A criterion of the rubric and its score, from 0 to the criterion's max.";
        Field<NonNullGraphType<StringGraphType>>("criterion");
        Field<NonNullGraphType<FloatGraphType>>("score");
    }
}
