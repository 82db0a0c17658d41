using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;
using OpenData.Sandbox.Contests;
using OpenData.Sandbox.Events;
using OpenData.Sandbox.Magic;
using OpenData.Sandbox.Twins;
using OpenData.Sandbox.Promotion;

namespace OpenData.Sandbox;

/// <summary>
/// Composes the sandbox (section <c>OpenData:Sandbox</c>): synthetic twins of every published version, generated in the background
/// and served to sandbox callers through the platform's one read path, and the sandbox's own routes.
/// </summary>
public static class SandboxModule
{
    public static IServiceCollection AddOpenDataSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Its error codes join the platform's registry before any route declares what it refuses; its migrations join the sequence.
        ErrorCodes.Include(typeof(SandboxModule).Assembly);
        services.AddSingleton(new MigrationSource(typeof(SandboxModule).Assembly));
        services.AddSingleton<IMagicDatasets, MagicDatasets>();
        services.AddSingleton<SimulatedEvents>();
        services.AddOptions<SandboxOptions>().Bind(configuration.GetSection(SandboxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TwinStore>();
        services.AddSingleton<TwinTables>();
        services.AddSingleton<ITwinTables>(sp => sp.GetRequiredService<TwinTables>());
        services.AddSingleton<TwinBuilder>();
        services.AddSingleton<TwinWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<TwinWorker>());
        services.AddPromotion();
        services.AddContests();
        // The sandbox's graph types (Contests/GraphQL) join the platform's schema beside its own.
        services.AddGraphQL(builder => builder.AddGraphTypes(typeof(SandboxModule).Assembly));
        return services;
    }

    public static IEndpointRouteBuilder MapOpenDataSandbox(this IEndpointRouteBuilder routes)
    {
        routes.MapTwins();
        routes.MapSandboxEvents();
        routes.MapPromotion();
        routes.MapContests();
        return routes;
    }
}
