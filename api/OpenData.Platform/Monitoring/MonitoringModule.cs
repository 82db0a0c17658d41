using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// Registers monitoring (监测预警): the tally of masked values (a read observer), the detection of unusual reads, the check that
/// runs both at an interval, and the owner's report.
/// </summary>
internal static class MonitoringModule
{
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MonitoringStore>();
        services.AddSingleton<OutboundMaskTally>();
        services.AddSingleton<IRecordReadObserver>(s => s.GetRequiredService<OutboundMaskTally>());
        services.AddSingleton<UsageAnomalyDetector>();
        services.AddSingleton<MonitoringService>();
        services.AddHostedService<MonitoringWatch>();
        return services;
    }
}
