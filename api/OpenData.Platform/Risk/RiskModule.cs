using Microsoft.Extensions.DependencyInjection;

namespace OpenData.Platform.Risk;

/// <summary>Registers the re-identification risk meter.</summary>
internal static class RiskModule
{
    public static IServiceCollection AddRisk(this IServiceCollection services)
    {
        services.AddSingleton<RiskMeter>();
        return services;
    }
}
