using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Analytics.Aggregates;

namespace OpenData.Platform.Analytics;

/// <summary>Registers and maps analytics: uses of restricted data that do not show its rows (可用不可见). Each part composes its own slice.</summary>
internal static class AnalyticsModule
{
    public static IServiceCollection AddAnalytics(this IServiceCollection services) => services.AddAggregates();

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder routes)
    {
        routes.MapAggregates();
        return routes;
    }
}
