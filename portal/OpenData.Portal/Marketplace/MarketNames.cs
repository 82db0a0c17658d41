using OpenData.Platform.Catalogue;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Browsing;

namespace OpenData.Portal.Marketplace;

/// <summary>Names the marketplace's pages show for ids: tenants (providers, subscribers) and datasets.</summary>
internal static class MarketNames
{
    public static async Task<IReadOnlyDictionary<string, string>> ProvidersAsync(TenancyStore tenancy, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenancy);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            names[id] = (await tenancy.TenantAsync(id, cancellationToken))?.Name ?? id;
        }
        return names;
    }

    public static async Task<IReadOnlyDictionary<string, ShownText>> DatasetsAsync(CatalogueStore catalogue, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var titles = new Dictionary<string, ShownText>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var found = await catalogue.GetAsync(id, cancellationToken);
            titles[id] = found is { } f ? f.Dataset.ShownTitle() : new ShownText(id, null);
        }
        return titles;
    }
}
