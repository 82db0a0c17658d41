using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;
using OpenData.Sandbox.Contests.GraphQL;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// Innovation contests (issue 17): contests and their phases, teams registered with sandbox credentials bound to the contest's
/// plan and datasets, submissions, blind judging, results, the showcase and the landing of winners' apps.
/// </summary>
internal static class ContestsModule
{
    public static IServiceCollection AddContests(this IServiceCollection services)
    {
        services.AddSingleton<ContestStore>();
        services.AddSingleton<ContestService>();
        services.AddSingleton<TeamStore>();
        services.AddSingleton<TeamService>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<SubmissionService>();
        services.AddSingleton<ContestEntries>();
        services.AddSingleton<JudgingStore>();
        services.AddSingleton<JudgingService>();
        services.AddSingleton<ResultStore>();
        services.AddSingleton<ResultService>();
        services.AddSingleton<IQueryFields, ContestQueries>();
        services.AddSingleton<IQueryFields, TeamQueries>();
        services.AddSingleton<IMutationFields, TeamMutations>();
        services.AddSingleton<IMutationFields, JudgingMutations>();
        return services;
    }

    public static IEndpointRouteBuilder MapContests(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Contests");
        group.MapContestRoutes();
        group.MapTeamRoutes();
        group.MapSubmissionRoutes();
        group.MapJudgingRoutes();
        group.MapResultRoutes();
        return routes;
    }
}
