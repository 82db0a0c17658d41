using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Catalogue.GraphQL;
using OpenData.Platform.Datasets;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Catalogue;

/// <summary>Registers the catalogue: the dataset directory and store, versions, the declaration of new datasets, the portal's browse queries, the read-time suspicion of columns, and its GraphQL fields.</summary>
internal static class CatalogueModule
{
    public static IServiceCollection AddCatalogue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CatalogueOptions>().Bind(configuration.GetSection(CatalogueOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DatasetDirectory>();
        services.AddSingleton<CatalogueStore>();
        services.AddSingleton<ColumnTagger>();
        services.AddSingleton<DatasetDeclarations>();
        services.AddSingleton<VersionStore>();
        services.AddSingleton<Tenancy.IOwnerTenantRegistrar, OrganisationRegistrar>();
        services.AddSingleton<CatalogueBrowse>();
        services.AddSingleton<IRecordReadObserver, SuspicionRecorder>();
        services.AddSingleton<IQueryFields, CatalogueQueries>();
        services.AddScoped<DatasetLoader>();
        return services;
    }
}
