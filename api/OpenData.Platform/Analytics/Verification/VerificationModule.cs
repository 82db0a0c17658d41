using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OpenData.Platform.Analytics.Verification;

/// <summary>Registers verification products (核验服务): options, store, service and routes.</summary>
internal static class VerificationModule
{
    public static IServiceCollection AddVerification(this IServiceCollection services)
    {
        services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VerificationStore>();
        services.AddSingleton<VerificationService>();
        return services;
    }

    public static IEndpointRouteBuilder MapVerificationRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapVerification();
        return routes;
    }
}
