using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Marketplace.Subscriptions;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;
using OpenData.Portal.Marketplace;

namespace OpenData.Portal.Pages.Marketplace;

/// <summary>
/// A product's page (as <c>GET /v1/products/{id}</c>): its description and documentation (as text, line breaks kept), its datasets
/// linked to their pages, its plans side by side (limits and price, "unlimited" written out), the agreement in force with its
/// version, and for a signed-in admin of another tenant the subscribe form (posted to the console's subscribe page). A draft or
/// retired product is its provider's only (404 for anyone else).
/// </summary>
internal sealed class DetailModel(ProductService products, SubscriptionService subscriptions, TenancyStore tenancy, TenancyService apps, CatalogueStore catalogue)
    : PageModel
{
    public ProductView? Product { get; private set; }

    public string ProviderName { get; private set; } = "";

    public IReadOnlyDictionary<string, ShownText> Datasets { get; private set; } = new Dictionary<string, ShownText>();

    /// <summary>Whether someone is signed in (a visitor is invited to sign in to subscribe).</summary>
    public bool SignedIn { get; private set; }

    /// <summary>The person's tenant is the product's provider.</summary>
    public bool IsProvider { get; private set; }

    /// <summary>The subscribe form, for an admin of another tenant while the product is published; else null.</summary>
    public SubscribeForm? Form { get; private set; }

    /// <summary>The tenant's subscriptions to this product (any status), newest first.</summary>
    public IReadOnlyList<SubscriptionView> Mine { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var person = await ConsolePerson.ResolveAsync(HttpContext, tenancy);
        var product = (await products.GetAsync(person?.Principal ?? User, id, cancellationToken)).Value;
        if (product is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Product = product;
        ProviderName = (await tenancy.TenantAsync(product.Provider, cancellationToken))?.Name ?? product.Provider;
        Datasets = await MarketNames.DatasetsAsync(catalogue, product.Datasets, cancellationToken);
        SignedIn = person is not null;
        IsProvider = person?.Tenant.Id == product.Provider;
        if (person is null || IsProvider || person.IsOperator)
        {
            return Page();
        }
        Mine = [.. ((await subscriptions.ListAsync(person.Principal, null, cancellationToken)).Value?.Items ?? []).Where(s => s.ProductId == product.Id)];
        if (person.IsAdmin && product.Status == ProductStatus.Published)
        {
            var own = (await apps.ListAppsAsync(person.Principal, person.Tenant.Id, cancellationToken)).Value?.Items ?? [];
            Form = new SubscribeForm(product, SubscribeForm.Eligible(own), null, null, false, ModelState);
        }
        return Page();
    }
}
