using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation.Transforms;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// Registers desensitisation: pseudonym keys, the caller's view (replaceable: registered only if none is), and the log of what the
/// outbound check masked. Its policies are loaded by the host with the others (<c>PlatformPolicies</c>).
/// </summary>
internal static class DesensitisationModule
{
    public static IServiceCollection AddDesensitisation(this IServiceCollection services)
    {
        services.AddSingleton<PseudonymKeys>();
        services.TryAddSingleton<ICallerViewResolver, PolicyViewResolver>();
        services.AddSingleton<IRecordReadObserver, OutboundLeakLog>();
        return services;
    }
}
