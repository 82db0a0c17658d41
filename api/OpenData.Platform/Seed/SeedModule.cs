using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Ingestion;
using OpenData.Platform.Tenancy;

namespace OpenData.Platform.Seed;

/// <summary>Registers the demo seed: the demo datasets and the demo accounts.</summary>
internal static class SeedModule
{
    public static IServiceCollection AddSeed(this IServiceCollection services)
    {
        services.AddSingleton<DemoAccounts>();
        services.AddSingleton(sp => new Seeder(sp.GetRequiredService<TenancyStore>(), sp.GetRequiredService<DatasetDirectory>(), sp.GetRequiredService<CatalogueStore>(),
            sp.GetRequiredService<CsvLoader>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DesensitisationPolicy>(),
            sp.GetRequiredService<ILogger<Seeder>>(), sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<IConfiguration>()));
        return services;
    }
}
