using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type LeaderboardEntry</c>: a line of <c>GET /v1/contests/{id}/leaderboard</c>.</summary>
internal sealed class LeaderboardEntryGraphType : ObjectGraphType<LeaderboardEntry>
{
    public LeaderboardEntryGraphType()
    {
        Name = "LeaderboardEntry";
        Description = "A team's place once the results are published; rank and score are null for an entry no judge scored.";
        Field<IntGraphType>("rank").Resolve(c => c.Source.Rank);
        Field<NonNullGraphType<StringGraphType>>("teamName").Resolve(c => c.Source.TeamName);
        Field<FloatGraphType>("score").Resolve(c => c.Source.Score);
        Field<NonNullGraphType<IntGraphType>>("judges").Resolve(c => c.Source.Judges);
        Field<StringGraphType>("award").Resolve(c => c.Source.Award);
        Field<NonNullGraphType<StringGraphType>>("appTitle").Resolve(c => c.Source.AppTitle);
        Field<StringGraphType>("demoUrl").Resolve(c => c.Source.DemoUrl);
    }
}
