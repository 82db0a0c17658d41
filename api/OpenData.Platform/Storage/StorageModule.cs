using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenData.Platform.Storage;

/// <summary>Registers the store: its options (section <c>OpenData:Database</c>, or the <c>OpenData</c> connection string), the database, the migrator, the serving lock, and the cache signals between nodes.</summary>
internal static class StorageModule
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        DateTimeOffsetHandler.Register();
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .PostConfigure(o => o.ConnectionString ??= configuration.GetConnectionString("OpenData"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        services.AddSingleton(sp => new Database(sp.GetRequiredService<DatabaseOptions>()));
        services.AddSingleton(MigrationSource.Platform);
        services.AddSingleton<Migrator>();
        services.AddSingleton<ServingLock>();
        services.AddSingleton<CacheSignals>();
        services.AddSingleton<CacheSignalRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<CacheSignalRelay>());
        return services;
    }
}
