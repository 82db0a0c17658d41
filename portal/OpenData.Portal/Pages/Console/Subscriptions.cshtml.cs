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
/// The tenant's subscriptions in the marketplace (as <c>GET /v1/subscriptions</c>): each with its product, plan, status, the agreement
/// version accepted and the plans it held (periods, with the price accepted); for its admins, a plan change (accepting the agreement's
/// new version when it changed) and cancelling, through <see cref="SubscriptionService.ChangeAsync"/> and
/// <see cref="SubscriptionService.CancelAsync"/> with the API's rules and refusals.
/// </summary>
internal sealed class SubscriptionsModel(SubscriptionService subscriptions, ProductService products, TenancyStore tenancy) : ConsolePageModel
{
    private const string Form = "Subscription";

    public IReadOnlyList<SubscriptionView> Items { get; private set; } = [];

    /// <summary>The products subscribed, as they stand now (their plans and agreement version), by id; a product no longer shown is absent.</summary>
    public IReadOnlyDictionary<string, ProductView> Products { get; private set; } = new Dictionary<string, ProductView>();

    public IReadOnlyDictionary<string, string> Providers { get; private set; } = new Dictionary<string, string>();

    /// <summary>The subscription just created (from the product's page), changed or cancelled, as it now stands.</summary>
    public SubscriptionView? Done { get; private set; }

    /// <summary>What was done: subscribed, changed or cancelled.</summary>
    public string? DoneKind { get; private set; }

    /// <summary>The subscription whose form was posted back refused, or null.</summary>
    public string? Acting { get; private set; }

    [BindProperty]
    public string? SubscriptionId { get; set; }

    [BindProperty]
    public string? Plan { get; set; }

    [BindProperty]
    public bool AcceptAgreement { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(string? subscribed, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (subscribed is not null && Items.FirstOrDefault(s => s.Id == subscribed) is { } done)
        {
            (Done, DoneKind) = (done, "subscribed");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(CancellationToken cancellationToken)
    {
        if (!Person.IsAdmin)
        {
            await LoadAsync(cancellationToken);
            return Refused(Form, AdminOnly());
        }
        var id = SubscriptionId ?? "";
        var current = (await subscriptions.GetAsync(Person.Principal, id, cancellationToken)).Value;
        var product = current is null ? null : (await products.GetAsync(Person.Principal, current.ProductId, cancellationToken)).Value;
        // The new version is accepted only when the person ticked the box shown for it.
        var version = AcceptAgreement && product is not null && product.Agreement.Version != current!.AgreementVersion ? product.Agreement.Version : null;
        var changed = await subscriptions.ChangeAsync(Person.Principal, id, new SubscriptionChange(Plan, version), cancellationToken);
        return await AfterAsync(changed, "changed", cancellationToken);
    }

    public async Task<IActionResult> OnPostCancelAsync(CancellationToken cancellationToken)
    {
        if (!Person.IsAdmin)
        {
            await LoadAsync(cancellationToken);
            return Refused(Form, AdminOnly());
        }
        var cancelled = await subscriptions.CancelAsync(Person.Principal, SubscriptionId ?? "",
            new SubscriptionCancel(string.IsNullOrWhiteSpace(Reason) ? null : Reason), cancellationToken);
        return await AfterAsync(cancelled, "cancelled", cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(Outcome<SubscriptionView> outcome, string kind, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            Acting = Items.Any(s => s.Id == SubscriptionId) ? SubscriptionId : null;
            return Refused(Form, refusal, new Dictionary<string, string> { [MarketplaceErrors.AgreementOutdated] = "agreementVersion" });
        }
        (Done, DoneKind) = (outcome.Value, kind);
        (Plan, Reason, AcceptAgreement) = (null, null, false);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Items = [.. ((await subscriptions.ListAsync(Person.Principal, null, cancellationToken)).Value?.Items ?? []).OrderByDescending(s => s.CreatedAt)];
        var shown = new Dictionary<string, ProductView>(StringComparer.Ordinal);
        foreach (var id in Items.Select(s => s.ProductId).Distinct(StringComparer.Ordinal))
        {
            if ((await products.GetAsync(Person.Principal, id, cancellationToken)).Value is { } product)
            {
                shown[id] = product;
            }
        }
        Products = shown;
        Providers = await MarketNames.ProvidersAsync(tenancy, Items.Select(s => s.Provider), cancellationToken);
    }

    /// <summary>A product's title in the page's language, or its id when it is no longer shown.</summary>
    public ShownText TitleOf(string productId) =>
        Products.TryGetValue(productId, out var p) ? PortalCulture.Text(p.Title, p.TitleEn) : new ShownText(productId, null);
}
