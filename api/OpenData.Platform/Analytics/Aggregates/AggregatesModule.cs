using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Analytics.Aggregates.GraphQL;
using OpenData.Platform.Catalogue.GraphQL;

namespace OpenData.Platform.Analytics.Aggregates;

/// <summary>Registers aggregates (part 1 of issue 18); <see cref="AnalyticsModule"/> calls it.</summary>
internal static class AggregatesModule
{
    public static IServiceCollection AddAggregates(this IServiceCollection services)
    {
        services.AddSingleton<AggregateAccessStore>();
        services.AddSingleton<AggregateAccessSettings>();
        services.AddSingleton<Aggregator>();
        services.AddSingleton<IDatasetFields, AggregateDatasetFields>();
        return services;
    }
}
