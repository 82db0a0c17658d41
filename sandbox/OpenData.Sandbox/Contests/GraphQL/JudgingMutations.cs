using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>scoreEntry</c>: a judge scores an entry, the same call as <c>POST /v1/contests/{id}/scores</c>.</summary>
internal sealed class JudgingMutations : IMutationFields
{
    internal const string Action = "judging a contest";

    public void AddTo(MutationGraphType mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        mutation.Field<ScorecardGraphType>("scoreEntry")
            .Description("A judge scores an entry by its code: every rubric criterion from 0 to its max, and a comment; scoring again replaces the scorecard.")
            .Argument<NonNullGraphType<IdGraphType>>("contestId")
            .Argument<NonNullGraphType<StringGraphType>>("entry", "The entry's opaque code (Contest.entries).")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<CriterionScoreInputGraphType>>>>("scores")
            .Argument<NonNullGraphType<StringGraphType>>("comment", "Why: required with every scorecard.")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                GraphErrors.RequireLive(c.User, Action);
                var body = new NewScore(c.GetArgument<string>("entry"), c.GetArgument<List<ScoreInput>>("scores"), c.GetArgument<string>("comment"));
                var judging = c.RequestServices!.GetRequiredService<JudgingService>();
                return GraphErrors.ValueOf(await judging.ScoreAsync(c.User!, c.GetArgument<string>("contestId"), body, c.CancellationToken)).Scorecard;
            });
    }
}
