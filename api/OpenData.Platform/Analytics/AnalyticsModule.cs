using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Analytics.Aggregates;
using OpenData.Platform.Analytics.Jobs;
using OpenData.Platform.Analytics.Verification;

namespace OpenData.Platform.Analytics;

/// <summary>
/// Usable but not visible (可用不可见): value from restricted data without showing a row. Each part registers itself from its
/// sub-folder: aggregates under disclosure control (<c>Aggregates/</c>) and verification products (<c>Verification/</c>) and analysis jobs released through an airlock (<c>Jobs/</c>).
/// </summary>
internal static class AnalyticsModule
{
    public static IServiceCollection AddAnalytics(this IServiceCollection services)
    {
        services.AddAggregates();
        services.AddVerification();
        services.AddAnalysisJobs();
        return services;
    }

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder routes)
    {
        routes.MapAggregates();
        routes.MapVerificationRoutes();
        routes.MapAnalysisJobs();
        return routes;
    }
}
