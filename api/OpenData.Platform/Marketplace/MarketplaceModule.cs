using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Marketplace.GraphQL;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Marketplace.Providers;
using OpenData.Platform.Marketplace.Statements;
using OpenData.Platform.Marketplace.Subscriptions;

namespace OpenData.Platform.Marketplace;

/// <summary>
/// The data-services marketplace (培育数据要素市场): products (<c>Products/</c>) that owners and licensed providers (<c>Providers/</c>)
/// publish with plans and prices; subscriptions of apps to a plan (<c>Subscriptions/</c>), enforced by the quota machinery through
/// app bounds; and monthly statements (<c>Statements/</c>) priced from metered usage.
/// </summary>
internal static class MarketplaceModule
{
    public static IServiceCollection AddMarketplace(this IServiceCollection services)
    {
        services.AddSingleton<ProductStore>();
        services.AddSingleton<ProductService>();
        services.AddSingleton<ProviderLicences>();
        services.AddSingleton<ProviderStanding>();
        services.AddSingleton<Tenancy.ITenantScopeSource>(sp => sp.GetRequiredService<ProviderStanding>());
        services.AddSingleton<Catalogue.IPublisherLicences>(sp => sp.GetRequiredService<ProviderStanding>());
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<SubscriptionPlans>();
        services.AddSingleton<Quotas.IAppPlanSource>(sp => sp.GetRequiredService<SubscriptionPlans>());
        services.AddSingleton<ProductSubscribers>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<StatementStore>();
        services.AddSingleton<StatementService>();
        services.AddSingleton<IQueryFields, MarketplaceQueries>();
        return services;
    }

    public static IEndpointRouteBuilder MapMarketplace(this IEndpointRouteBuilder routes)
    {
        routes.MapMarketplaceRoutes();
        return routes;
    }
}
