using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Marketplace.Subscriptions;
using OpenData.Portal.Browsing;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The provider console (数据服务商): the tenant's products with their status and subscribers, a form creating a product with up to
/// <see cref="PlanRows"/> plans (fields, not JSON), and publishing a draft or retiring a published product (with the notice given),
/// through <see cref="ProductService"/> with the rules and refusals of <c>POST</c> and <c>PATCH /v1/products</c>. For owners and the
/// tenants the operator licensed (403 for anyone else); changing needs tenant:admin or datasets:write, as the service asks.
/// </summary>
internal sealed class ProductsModel(ProductService products, SubscriptionService subscriptions, CatalogueBrowse browse) : ConsolePageModel
{
    private const string Form = "Product";

    /// <summary>How many plans the form offers (rows left without a name are not sent).</summary>
    public const int PlanRows = 3;

    public IReadOnlyList<ProductView> Items { get; private set; } = [];

    /// <summary>Per product: its active and pending subscriptions.</summary>
    public IReadOnlyDictionary<string, (int Active, int Pending)> Subscribers { get; private set; } = new Dictionary<string, (int, int)>();

    /// <summary>The tenant's own datasets (id, title), offered as checkboxes.</summary>
    public IReadOnlyList<(string Id, ShownText Title)> OwnDatasets { get; private set; } = [];

    /// <summary>Why nothing is shown: 403 for a tenant that is no provider; else null.</summary>
    public int? Unavailable { get; private set; }

    /// <summary>What was just done (created, published, retired) to which product.</summary>
    public (string Kind, string ProductId)? Done { get; private set; }

    /// <summary>The product whose publish or retire form was refused, or null (the creation form's refusals are on its fields).</summary>
    public string? Acting { get; private set; }

    public bool MayChange => MayDecideSubscriptions;

    [BindProperty]
    public string? Id { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? TitleEn { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? DescriptionEn { get; set; }

    [BindProperty]
    public string? Documentation { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public List<string> Datasets { get; set; } = [];

    [BindProperty]
    public string? OtherDatasets { get; set; }

    [BindProperty]
    public List<PlanFields> Plans { get; set; } = [];

    [BindProperty]
    public string? AgreementVersion { get; set; }

    [BindProperty]
    public string? AgreementText { get; set; }

    [BindProperty]
    public string? Approval { get; set; }

    [BindProperty]
    public bool PublishNow { get; set; }

    [BindProperty]
    public string? ProductId { get; set; }

    [BindProperty]
    public int? NoticeDays { get; set; }

    public async Task<IActionResult> OnGetAsync(string? created, CancellationToken cancellationToken)
    {
        if (ProvidersOnly() is { } refused)
        {
            return refused;
        }
        await LoadAsync(cancellationToken);
        if (created is not null && Items.Any(p => p.Id == created))
        {
            Done = ("created", created);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (ProvidersOnly() is { } refused)
        {
            return refused;
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var plans = new List<PlanInput?>();
        for (var i = 0; i < Math.Min(Plans.Count, PlanRows); i++)
        {
            var row = Plans[i];
            if (string.IsNullOrWhiteSpace(row.Name))
            {
                continue;
            }
            long? Number(string? text, string name)
            {
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }
                if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
                errors[$"plans[{plans.Count}]"] = [$"plans[{plans.Count}]: {name} is a whole number, or left empty for unlimited"];
                return null;
            }
            plans.Add(new PlanInput(row.Name.Trim(), string.IsNullOrWhiteSpace(row.Title) ? null : row.Title, new PriceInput(row.Model, string.IsNullOrWhiteSpace(row.Amount) ? null : row.Amount.Trim()),
                new LimitsInput(Number(row.RatePerSecond, "ratePerSecond"), Number(row.Burst, "burst"), Number(row.DailyRequests, "dailyRequests"),
                    Number(row.DailyRows, "dailyRows"), Number(row.ExportRows, "exportRows"))));
        }
        if (errors.Count > 0)
        {
            await LoadAsync(cancellationToken);
            return Refused(Form, Refusal.Validation(errors));
        }
        var datasets = Datasets.Concat((OtherDatasets ?? "").Split([',', ' ', '\n', '\r', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).Select(d => (string?)d).ToList();
        var created = await products.CreateAsync(Person.Principal, new ProductInput(
            Id?.Trim(), Title, TitleEn ?? "", Description, DescriptionEn ?? "", Documentation ?? "", string.IsNullOrEmpty(Kind) ? null : Kind, datasets, plans,
            new AgreementInput(AgreementVersion, AgreementText), string.IsNullOrEmpty(Approval) ? null : Approval, PublishNow ? ProductStatus.Published : ProductStatus.Draft),
            cancellationToken);
        if (created.Refusal is { } refusal)
        {
            await LoadAsync(cancellationToken);
            return Refused(Form, refusal, new Dictionary<string, string> { [Platform.Marketplace.MarketplaceErrors.ProductExists] = "id" });
        }
        return Redirect("/console/products?created=" + Uri.EscapeDataString(created.Value!.Id));
    }

    public Task<IActionResult> OnPostPublishAsync(CancellationToken cancellationToken) => ChangeStatusAsync(ProductStatus.Published, "published", cancellationToken);

    public Task<IActionResult> OnPostRetireAsync(CancellationToken cancellationToken) => ChangeStatusAsync(ProductStatus.Retired, "retired", cancellationToken);

    private async Task<IActionResult> ChangeStatusAsync(string status, string done, CancellationToken cancellationToken)
    {
        if (ProvidersOnly() is { } refused)
        {
            return refused;
        }
        var id = ProductId ?? "";
        var changed = await products.UpdateAsync(Person.Principal, id,
            new ProductInput(null, null, null, null, null, null, null, null, null, null, null, status, status == ProductStatus.Retired ? NoticeDays : null), cancellationToken);
        await LoadAsync(cancellationToken);
        if (changed.Refusal is { } refusal)
        {
            Acting = Items.Any(p => p.Id == id) ? id : null;
            return Refused("ProductStatus", refusal);
        }
        Done = (done, id);
        return Page();
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult? ProvidersOnly()
    {
        if (IsProvider)
        {
            return null;
        }
        Unavailable = StatusCodes.Status403Forbidden;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var tenant = Person.Tenant.Id;
        Items = [.. ((await products.ListAsync(Person.Principal, cancellationToken)).Value?.Items ?? []).Where(p => p.Provider == tenant)];
        Subscribers = ((await subscriptions.ListAsync(Person.Principal, "provider", cancellationToken)).Value?.Items ?? [])
            .GroupBy(s => s.ProductId)
            .ToDictionary(g => g.Key, g => (g.Count(s => s.Status == SubscriptionStatus.Active), g.Count(s => s.Status == SubscriptionStatus.Pending)), StringComparer.Ordinal);
        if (Person.PublishesDatasets)
        {
            var (rows, _) = await browse.PageAsync(new BrowseFilter(null, null, tenant, null), BrowseSort.Updated, 0, CatalogueBrowse.MaxPageSize, cancellationToken);
            OwnDatasets = [.. rows.Select(r => (r.Id, r.ShownTitle()))];
        }
        while (Plans.Count < PlanRows)
        {
            Plans.Add(new PlanFields());
        }
    }
}

/// <summary>One plan row of the product form: as typed (numbers are checked when posted; empty limits are unlimited).</summary>
internal sealed class PlanFields
{
    public string? Name { get; set; }
    public string? Title { get; set; }
    public string? Model { get; set; }
    public string? Amount { get; set; }
    public string? DailyRequests { get; set; }
    public string? DailyRows { get; set; }
    public string? RatePerSecond { get; set; }
    public string? Burst { get; set; }
    public string? ExportRows { get; set; }
}
