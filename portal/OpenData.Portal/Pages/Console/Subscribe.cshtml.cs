using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Common;
using OpenData.Platform.Marketplace;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Marketplace.Subscriptions;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;
using OpenData.Portal.Marketplace;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// A subscription posted from a product's page: <see cref="SubscriptionService.SubscribeAsync"/>, the rules and codes of
/// <c>POST /v1/subscriptions</c>, with the agreement version the person saw and accepted (the box is required here: without it
/// nothing is asked of the service). Accepted, the person goes to their subscriptions; refused, this page shows the form again
/// with the service's reasons on its fields. A tenant's admins subscribe (403 for others); an unknown product is 404.
/// </summary>
internal sealed class SubscribeModel(ProductService products, SubscriptionService subscriptions, TenancyService tenancy) : ConsolePageModel
{
    private const string FormName = "Subscribe";

    public ProductView? Product { get; private set; }

    /// <summary>The tenant's apps that may take a subscription.</summary>
    public IReadOnlyList<App> Apps { get; private set; } = [];

    public SubscribeForm? Form => Product is null ? null : new SubscribeForm(Product, Apps, Plan, AppId, Accept, ModelState);

    [BindProperty]
    public string? Plan { get; set; }

    [BindProperty]
    public string? AppId { get; set; }

    [BindProperty]
    public string? AgreementVersion { get; set; }

    [BindProperty]
    public bool Accept { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } missing)
        {
            return missing;
        }
        return Person.IsAdmin ? Page() : Refused(FormName, AdminOnly());
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } missing)
        {
            return missing;
        }
        if (!Person.IsAdmin)
        {
            return Refused(FormName, AdminOnly());
        }
        if (!Accept)
        {
            return Refused(FormName, Refusal.Validation(new Dictionary<string, string[]> { ["accept"] = [$"accept agreement version {AgreementVersion} to subscribe"] }));
        }
        var created = await subscriptions.SubscribeAsync(Person.Principal, new SubscriptionInput(id, Plan, AppId, AgreementVersion), cancellationToken);
        if (created.Refusal is { } refusal)
        {
            // The agreement changed since the page was read: the form shows the new version, to be read and accepted again.
            Accept = false;
            return Refused(FormName, refusal, new Dictionary<string, string>
            {
                [MarketplaceErrors.AgreementOutdated] = "accept", [MarketplaceErrors.AppTaken] = "appId",
            });
        }
        return Redirect("/console/subscriptions?subscribed=" + Uri.EscapeDataString(created.Value!.Id));
    }

    /// <summary>The product (404 when it is not published, or not the caller's draft) and the form with the tenant's apps.</summary>
    private async Task<IActionResult?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        Product = (await products.GetAsync(Person.Principal, id, cancellationToken)).Value;
        if (Product is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var apps = Person.IsAdmin ? (await tenancy.ListAppsAsync(Person.Principal, Person.Tenant.Id, cancellationToken)).Value?.Items ?? [] : [];
        Apps = SubscribeForm.Eligible(apps);
        return null;
    }
}
