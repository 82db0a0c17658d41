using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Audit;

/// <summary>Registers the audit trail: the chain, its checkpoints (section <c>OpenData:Audit</c>), the verifier, the store and service of its readers, and the audit of reads.</summary>
internal static class AuditModule
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<AuditLog>();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuditCheckpoints>();
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<AuditCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpointer>());
        services.AddSingleton<IRecordReadObserver, AuditReadObserver>();
        return services;
    }
}
