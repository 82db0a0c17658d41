using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;

namespace OpenData.Sandbox.Contests.GraphQL;

/// <summary><c>type Contest</c>: as <c>GET /v1/contests/{id}</c> answers it.</summary>
internal sealed class ContestGraphType : ObjectGraphType<Contest>
{
    public ContestGraphType()
    {
        Name = "Contest";
        Description = "An innovation contest whose teams build on the sandbox's synthetic data, with its phase now.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<StringGraphType>("titleEn").Resolve(c => c.Source.TitleEn);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Description);
        Field<StringGraphType>("descriptionEn").Resolve(c => c.Source.DescriptionEn);
        Field<NonNullGraphType<StringGraphType>>("rules").Resolve(c => c.Source.Rules);
        Field<NonNullGraphType<IntGraphType>>("termsVersion").Resolve(c => c.Source.TermsVersion);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("tracks").Resolve(c => c.Source.Tracks);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("datasets").Description("Ids of the datasets in scope.").Resolve(c => c.Source.Datasets);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("startsAt").Resolve(c => c.Source.StartsAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("registrationEndsAt").Resolve(c => c.Source.RegistrationEndsAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("submissionEndsAt").Resolve(c => c.Source.SubmissionEndsAt);
        Field<DateTimeOffsetGraphType>("judgingEndsAt").Resolve(c => c.Source.JudgingEndsAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("endsAt").Resolve(c => c.Source.EndsAt);
        Field<NonNullGraphType<StringGraphType>>("phase").Description("upcoming, registration, build, judging or results.").Resolve(c => c.Source.Phase);
        Field<NonNullGraphType<IntGraphType>>("teamSizeLimit").Resolve(c => c.Source.TeamSizeLimit);
        Field<NonNullGraphType<StringGraphType>>("visibility").Description("public or invite.").Resolve(c => c.Source.Visibility);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("allowedDomains").Resolve(c => c.Source.AllowedDomains);
        Field<NonNullGraphType<StringGraphType>>("approval").Description("auto or manual.").Resolve(c => c.Source.Approval);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RubricCriterionGraphType>>>>("rubric").Resolve(c => c.Source.Rubric);
        Field<DateTimeOffsetGraphType>("resultsPublishedAt").Resolve(c => c.Source.ResultsPublishedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<JudgeEntryGraphType>>>>("entries")
            .Description("The entries the calling judge scores, blind (as GET /v1/contests/{id}/entries): for the contest's judges, from the submission deadline.")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                GraphErrors.RequireLive(c.User, JudgingMutations.Action);
                return GraphErrors.ValueOf(await Service<JudgingService>(c).EntriesAsync(c.User!, c.Source.Id, c.CancellationToken)).Items;
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LeaderboardEntryGraphType>>>>("leaderboard")
            .Description("The leaderboard once the results are published (as GET /v1/contests/{id}/leaderboard); before, an error contest.results_not_published.")
            .ResolveAsync(async c => GraphErrors.ValueOf(await Service<ResultService>(c).LeaderboardAsync(c.Source.Id, c.CancellationToken)).Items);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ShowcaseWinnerGraphType>>>>("showcase")
            .Description("The winners and their landing once the results are published (as GET /v1/contests/{id}/showcase).")
            .ResolveAsync(async c => GraphErrors.ValueOf(await Service<ResultService>(c).ShowcaseAsync(c.Source.Id, c.CancellationToken)).Winners);
    }

    private static T Service<T>(IResolveFieldContext context) where T : notnull => context.RequestServices!.GetRequiredService<T>();
}

/// <summary><c>type RubricCriterion</c>.</summary>
internal sealed class RubricCriterionGraphType : ObjectGraphType<RubricCriterion>
{
    public RubricCriterionGraphType()
    {
        Name = "RubricCriterion";
        Description = "A criterion judges score from 0 to max; weight is its relative share of the total.";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<FloatGraphType>>("weight").Resolve(c => c.Source.Weight);
        Field<NonNullGraphType<FloatGraphType>>("max").Resolve(c => c.Source.Max);
    }
}
