using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Contests.GraphQL;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Contests;

/// <summary>Registers contests' GraphQL fields.</summary>
internal static class ContestsModule
{
    public static IServiceCollection AddContests(this IServiceCollection services)
    {
        services.AddSingleton<IQueryFields, ContestQueries>();
        return services;
    }
}
