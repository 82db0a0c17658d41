using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Analytics.Verification;

/// <summary>Registers verification products (核验服务): options, store, service, routes and the GraphQL <c>verify</c> mutation.</summary>
internal static class VerificationModule
{
    public static IServiceCollection AddVerification(this IServiceCollection services)
    {
        services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VerificationStore>();
        services.AddSingleton<VerificationService>();
        services.AddSingleton<IMutationFields, VerificationMutations>();
        return services;
    }

    public static IEndpointRouteBuilder MapVerificationRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapVerification();
        return routes;
    }
}
