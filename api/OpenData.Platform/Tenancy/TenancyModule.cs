using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Tenancy.GraphQL;

namespace OpenData.Platform.Tenancy;

/// <summary>Registers tenancy: the store of tenants, members and apps, the service of their rules, and its GraphQL fields.</summary>
internal static class TenancyModule
{
    public static IServiceCollection AddTenancy(this IServiceCollection services)
    {
        services.AddSingleton<TenancyStore>();
        services.AddSingleton<TenancyService>();
        services.AddSingleton<TenantScopes>();
        services.AddSingleton<Quotas.ITenantPlanSource>(sp => sp.GetRequiredService<TenancyStore>());
        services.AddSingleton<IQueryFields, TenancyQueries>();
        return services;
    }
}
