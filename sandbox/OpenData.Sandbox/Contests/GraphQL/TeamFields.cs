using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary>Teams and submissions in GraphQL: <c>contestTeams</c>, <c>contestSubmissions</c>, and the mutations <c>registerContestTeam</c>, <c>submitToContest</c>.</summary>
internal sealed class TeamQueries : IQueryFields
{
    public void AddTo(QueryGraphType query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TeamGraphType>>>>("contestTeams")
            .Description("Teams of a contest: every team for the organiser, the caller's tenant's own otherwise (as GET /v1/contests/{id}/teams).")
            .Argument<NonNullGraphType<IdGraphType>>("contestId")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                return GraphErrors.ValueOf(await Teams(c).ListAsync(c.User!, c.GetArgument<string>("contestId"), c.CancellationToken)).Items;
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SubmissionGraphType>>>>("contestSubmissions")
            .Description("Submissions: every version of every team for the organiser, the caller's teams' own otherwise (as GET /v1/contests/{id}/submissions).")
            .Argument<NonNullGraphType<IdGraphType>>("contestId")
            .Argument<IdGraphType>("teamId")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                return GraphErrors.ValueOf(await Submissions(c).ListAsync(c.User!, c.GetArgument<string>("contestId"), c.GetArgument<string?>("teamId"), c.CancellationToken)).Items;
            });
    }

    internal static TeamService Teams(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<TeamService>();

    internal static SubmissionService Submissions(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<SubmissionService>();
}

/// <summary>Registering a team and submitting, each the same call as its REST route (attachments are uploaded over REST).</summary>
internal sealed class TeamMutations : IMutationFields
{
    private const string Action = "contest registration and submissions";

    public void AddTo(MutationGraphType mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        mutation.Field<TeamRegisteredGraphType>("registerContestTeam")
            .Description("Register a team while registration is open (a consumer tenant), as POST /v1/contests/{id}/teams.")
            .Argument<NonNullGraphType<IdGraphType>>("contestId")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("members", "Members' e-mails.")
            .Argument<StringGraphType>("track")
            .Argument<NonNullGraphType<BooleanGraphType>>("acceptTerms", "true: the team accepts the contest's terms (their version is recorded).")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                GraphErrors.RequireLive(c.User, Action);
                var body = new NewTeam(c.GetArgument<string>("name"), c.GetArgument<List<string>>("members"), c.GetArgument<string?>("track"), c.GetArgument<bool>("acceptTerms"));
                return GraphErrors.ValueOf(await TeamQueries.Teams(c).RegisterAsync(c.User!, c.GetArgument<string>("contestId"), body, c.CancellationToken));
            });
        mutation.Field<SubmissionGraphType>("submitToContest")
            .Description("Submit a new version of a team's app until the deadline, as POST /v1/contests/{id}/submissions.")
            .Argument<NonNullGraphType<IdGraphType>>("contestId")
            .Argument<NonNullGraphType<IdGraphType>>("teamId")
            .Argument<NonNullGraphType<StringGraphType>>("title")
            .Argument<NonNullGraphType<StringGraphType>>("description")
            .Argument<NonNullGraphType<StringGraphType>>("url", "Where judges see the app (http or https).")
            .Argument<StringGraphType>("repositoryUrl")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("datasets", "The contest's datasets the app uses.")
            .Argument<StringGraphType>("attachmentId", "A PDF uploaded with POST /v1/contests/{id}/teams/{teamId}/attachments.")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                GraphErrors.RequireLive(c.User, Action);
                var body = new NewSubmission(c.GetArgument<string>("teamId"), c.GetArgument<string>("title"), c.GetArgument<string>("description"),
                    c.GetArgument<string>("url"), c.GetArgument<string?>("repositoryUrl"), c.GetArgument<List<string>?>("datasets"), c.GetArgument<string?>("attachmentId"));
                return GraphErrors.ValueOf(await TeamQueries.Submissions(c).SubmitAsync(c.User!, c.GetArgument<string>("contestId"), body, c.CancellationToken));
            });
    }
}
