using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type Scorecard</c>: as <c>POST /v1/contests/{id}/scores</c> answers it.</summary>
internal sealed class ScorecardGraphType : ObjectGraphType<Scorecard>
{
    public ScorecardGraphType()
    {
        Name = "Scorecard";
        Description = "A judge's scorecard for an entry; total is the weighted mean of the criteria on 0–100.";
        Field<NonNullGraphType<StringGraphType>>("entry").Description("The entry's opaque code.").Resolve(c => c.Source.Entry);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CriterionScoreGraphType>>>>("scores").Resolve(c => c.Source.Scores);
        Field<NonNullGraphType<StringGraphType>>("comment").Resolve(c => c.Source.Comment);
        Field<NonNullGraphType<FloatGraphType>>("total").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("scoredAt").Resolve(c => c.Source.ScoredAt);
    }
}
