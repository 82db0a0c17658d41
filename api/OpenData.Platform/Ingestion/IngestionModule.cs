using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenData.Platform.Ingestion;

/// <summary>Registers ingestion (section <c>OpenData:Ingestion</c>): versions, the CSV loader, jobs, the service and its worker.</summary>
internal static class IngestionModule
{
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CsvLoader>();
        services.AddSingleton<IngestionJobStore>();
        services.AddSingleton<IngestionService>();
        services.AddHostedService<IngestionWorker>();
        return services;
    }
}
