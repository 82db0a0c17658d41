using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Access.GraphQL;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Access;

/// <summary>Registers access requests and grants: the store, the service, the grant directory the caller's view reads, and the GraphQL fields.</summary>
internal static class AccessModule
{
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccessStore>();
        services.AddSingleton<GrantDirectory>();
        services.AddSingleton<AccessService>();
        services.AddSingleton<IGrantSource>(sp => sp.GetRequiredService<GrantDirectory>());
        services.AddSingleton<IQueryFields, AccessQueries>();
        services.AddSingleton<IMutationFields, AccessMutations>();
        services.AddHostedService<GrantExpiryAnnouncer>();
        return services;
    }
}
