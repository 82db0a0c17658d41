using Dapper;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenData.Platform.Access;
using OpenData.Platform.Analytics;
using OpenData.Platform.Audit;
using OpenData.Platform.Auth;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Health;
using OpenData.Platform.Identity;
using OpenData.Platform.Ingestion;
using OpenData.Platform.Marketplace;
using OpenData.Platform.Monitoring;
using OpenData.Platform.Quotas;
using OpenData.Platform.Records;
using OpenData.Platform.Risk;
using OpenData.Platform.Seed;
using OpenData.Platform.Storage;
using OpenData.Platform.Tenancy;
using OpenData.Platform.Webhooks;

namespace OpenData.Platform.Hosting;

/// <summary>Composes the platform's modules: <c>AddOpenDataPlatform</c> registers them, <c>MapOpenDataPlatform</c> maps their routes.</summary>
internal static class PlatformServices
{
    public static IServiceCollection AddOpenDataPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Common.IHtmlPageFrame, Common.PlainPageFrame>();

        // Each module registers itself; the order of the read observers is the order of the modules below (leak log, suspicion,
        // audit, monitoring's tally of masked values; usage is counted by Quotas' own seam).
        services.AddStorage(configuration);
        services.AddPolicies(configuration);
        // Tenancy first: the order of the modules is the order of their GraphQL root fields (me, datasets, …).
        services.AddTenancy();
        services.AddDesensitisation();
        services.AddCatalogue(configuration);
        services.AddWebhooks();
        services.AddAccess();
        services.AddAudit(configuration);
        services.AddQuotas();
        services.AddMonitoring(configuration);
        services.AddRecords();
        services.AddRisk();
        services.AddAnalytics();
        services.AddMarketplace();
        services.AddIngestion(configuration);
        services.AddSeed();
        services.AddPlatformGraphQL();
        services.AddPlatformAuth();
        services.AddPlatformProxy(configuration);
        services.AddPlatformProblemDetails();
        services.AddPlatformCors(configuration);
        services.ConfigureHttpJsonOptions(o => PlatformJson.Configure(o.SerializerOptions));
        return services;
    }

    public static IEndpointRouteBuilder MapOpenDataPlatform(this IEndpointRouteBuilder routes)
    {
        routes.MapHealth();
        routes.MapCatalogue();
        routes.MapRecords();
        routes.MapIngestion();
        routes.MapTenancy();
        routes.MapQuotas();
        routes.MapAccess();
        routes.MapRisk();
        routes.MapAnalytics();
        routes.MapMarketplace();
        routes.MapAudit();
        routes.MapWebhooks();
        routes.MapGraphQL();
        routes.MapTokenEndpoints();
        routes.MapSignIn();
        return routes;
    }

    /// <summary>Migrates the store, and seeds it when configured and the catalogue is empty.</summary>
    public static async Task PrepareStoreAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        services.GetRequiredService<PlatformPolicies>();
        var database = services.GetRequiredService<Database>();
        if (database.SqliteFile is { } sqliteFile)
        {
            // Held until the host stops, so restore refuses to swap the file under it.
            services.GetRequiredService<ServingLock>().Acquire(sqliteFile);
        }
        await services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
        services.GetRequiredService<KeyRing>().EnsureLoaded();
        services.GetRequiredService<Desensitisation.Transforms.PseudonymKeys>().EnsureLoaded();
        await services.GetRequiredService<OperatorBootstrap>().EnsureAsync(cancellationToken);
        if (services.GetRequiredService<DatabaseOptions>().SeedOnStart)
        {
            if (await services.GetRequiredService<CatalogueStore>().IsEmptyAsync(cancellationToken))
            {
                await services.GetRequiredService<Seeder>().SeedAsync(cancellationToken: cancellationToken);
            }
        }
        await services.GetRequiredService<DemoAccounts>().EnsureAsync(cancellationToken);
        // Build the GraphQL schema now rather than on the first request (a second or so of reflection).
        services.GetRequiredService<OpenDataSchema>().Initialize();
    }
}
