using GraphQL.Types;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type ShowcaseWinner</c>: a winner of <c>GET /v1/contests/{id}/showcase</c>.</summary>
internal sealed class ShowcaseWinnerGraphType : ObjectGraphType<ShowcaseWinner>
{
    public ShowcaseWinnerGraphType()
    {
        Name = "ShowcaseWinner";
        Description = "A winning app: award, team, the app as submitted, the datasets it uses, and whether it landed.";
        Field<IntGraphType>("rank").Resolve(c => c.Source.Rank);
        Field<NonNullGraphType<StringGraphType>>("award").Resolve(c => c.Source.Award);
        Field<NonNullGraphType<StringGraphType>>("teamName").Resolve(c => c.Source.TeamName);
        Field<NonNullGraphType<StringGraphType>>("appTitle").Resolve(c => c.Source.AppTitle);
        Field<NonNullGraphType<StringGraphType>>("appDescription").Resolve(c => c.Source.AppDescription);
        Field<StringGraphType>("demoUrl").Resolve(c => c.Source.DemoUrl);
        Field<StringGraphType>("repositoryUrl").Resolve(c => c.Source.RepositoryUrl);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ShowcaseDatasetGraphType>>>>("datasets").Resolve(c => c.Source.Datasets);
        Field<NonNullGraphType<LandingGraphType>>("landing").Resolve(c => c.Source.Landing);
    }
}
