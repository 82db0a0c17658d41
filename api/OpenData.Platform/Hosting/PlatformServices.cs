using Dapper;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenData.Platform.Access;
using OpenData.Platform.Audit;
using OpenData.Platform.Auth;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Health;
using OpenData.Platform.Identity;
using OpenData.Platform.Ingestion;
using OpenData.Platform.Policies;
using OpenData.Platform.Quotas;
using OpenData.Platform.Records;
using OpenData.Platform.Risk;
using OpenData.Platform.Seed;
using OpenData.Platform.Storage;
using OpenData.Platform.Tenancy;
using OpenData.Platform.Webhooks;

namespace OpenData.Platform.Hosting;

/// <summary>Composes the platform's modules: <c>AddOpenDataPlatform</c> registers them, <c>MapOpenDataPlatform</c> maps their routes.</summary>
public static class PlatformServices
{
    public static IServiceCollection AddOpenDataPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        DateTimeOffsetHandler.Register();

        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .PostConfigure(o => o.ConnectionString ??= configuration.GetConnectionString("OpenData"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        services.AddSingleton(sp => new Database(sp.GetRequiredService<DatabaseOptions>()));
        services.AddSingleton<Migrator>();
        services.AddSingleton<ServingLock>();
        services.TryAddSingleton(TimeProvider.System);

        // Policies: read and checked once; a bad file stops the host (PrepareStoreAsync resolves them first).
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.Section));
        services.AddSingleton(sp => PlatformPolicies.Load(sp.GetRequiredService<IOptions<PolicyOptions>>().Value.ResolvedDirectory));
        services.AddSingleton(sp => sp.GetRequiredService<PlatformPolicies>().Desensitisation);
        services.AddSingleton(sp => sp.GetRequiredService<PlatformPolicies>().Classification);
        services.AddSingleton(sp => sp.GetRequiredService<PlatformPolicies>().Plans);

        // Catalogue
        services.AddSingleton<DatasetDirectory>();
        services.AddSingleton<CatalogueStore>();

        // Read path and its seams (view: issues 4 and 6; export allowance: issue 5; observers: metering and audit)
        services.AddSingleton<Desensitisation.Transforms.PseudonymKeys>();
        services.AddSingleton<Webhooks.WebhookOutbox>();
        services.AddHostedService<Webhooks.WebhookDelivery>();
        services.AddSingleton<Access.AccessStore>();
        services.AddSingleton<Access.GrantDirectory>();
        services.AddSingleton<Access.AccessService>();
        services.AddSingleton<IGrantSource>(sp => sp.GetRequiredService<Access.GrantDirectory>());
        services.TryAddSingleton<ICallerViewResolver, PolicyViewResolver>();
        services.AddSingleton<IRecordReadObserver, OutboundLeakLog>();
        services.AddSingleton<IRecordReadObserver, SuspicionRecorder>();
        services.AddSingleton<Audit.AuditLog>();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuditCheckpoints>();
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<AuditCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpointer>());
        services.AddSingleton<IRecordReadObserver, Audit.AuditReadObserver>();
        services.AddQuotas();
        services.AddSingleton<CursorSeal>();
        services.AddSingleton<RecordReader>();
        services.AddSingleton<Risk.RiskMeter>();

        // Ingestion
        services.AddSingleton<VersionStore>();
        services.AddSingleton<CsvLoader>();
        services.AddSingleton<IngestionJobStore>();
        services.AddSingleton<IngestionService>();
        services.AddHostedService<IngestionWorker>();
        services.AddSingleton<Tenancy.TenancyStore>();
        services.AddSingleton<DemoAccounts>();
        services.AddSingleton(sp => new Seeder(sp.GetRequiredService<Database>(), sp.GetRequiredService<DatasetDirectory>(), sp.GetRequiredService<CatalogueStore>(),
            sp.GetRequiredService<CsvLoader>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DesensitisationPolicy>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Seeder>>()));

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
            await using var connection = await database.OpenAsync(cancellationToken);
            var datasets = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM datasets", cancellationToken: cancellationToken));
            if (datasets == 0)
            {
                await services.GetRequiredService<Seeder>().SeedAsync(cancellationToken);
            }
        }
        await services.GetRequiredService<DemoAccounts>().EnsureAsync(cancellationToken);
        // Build the GraphQL schema now rather than on the first request (a second or so of reflection).
        services.GetRequiredService<OpenDataSchema>().Initialize();
    }
}
