using Microsoft.Extensions.DependencyInjection;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>Registers aggregates (part 1 of issue 18); <see cref="AnalyticsModule"/> calls it.</summary>
internal static class AggregatesModule
{
    public static IServiceCollection AddAggregates(this IServiceCollection services)
    {
        services.AddSingleton<AggregateAccessStore>();
        services.AddSingleton<Aggregator>();
        return services;
    }
}
