using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Marketplace;

namespace OpenData.Portal.Pages.Marketplace;

/// <summary>
/// The marketplace (数据服务市场) for anyone: the published products (as <c>GET /v1/products</c>), each a card with its title in the
/// page's language, its provider, kind, datasets and the range of its plans' prices.
/// </summary>
internal sealed class IndexModel(ProductService products, TenancyStore tenancy, CatalogueStore catalogue) : PageModel
{
    public IReadOnlyList<ProductView> Items { get; private set; } = [];

    /// <summary>Providers' names by tenant id.</summary>
    public IReadOnlyDictionary<string, string> Providers { get; private set; } = new Dictionary<string, string>();

    /// <summary>The datasets' titles (as shown) by id.</summary>
    public IReadOnlyDictionary<string, ShownText> Datasets { get; private set; } = new Dictionary<string, ShownText>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Anyone's list: what is published (a provider's drafts are on its console's products page).
        Items = [.. ((await products.ListAsync(User, cancellationToken)).Value?.Items ?? []).Where(p => p.Status == ProductStatus.Published)];
        Providers = await MarketNames.ProvidersAsync(tenancy, Items.Select(p => p.Provider), cancellationToken);
        Datasets = await MarketNames.DatasetsAsync(catalogue, Items.SelectMany(p => p.Datasets), cancellationToken);
    }
}
