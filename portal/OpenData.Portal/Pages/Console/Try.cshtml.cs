using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Browsing;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The try-it console: pick one of the tenant's active apps and a dataset, write <c>select</c>, <c>where</c>, <c>order_by</c> and
/// <c>limit</c>, and run it as the app through the records route itself (<see cref="TryItRunner"/>): the answer, its status, its
/// <c>RateLimit</c> headers and what remains of today's quota, and the same request as a curl line. Running spends the app's
/// quota like any request of it, so it is a POST (antiforgery-checked); htmx swaps only the answer.
/// </summary>
internal sealed class TryModel(TenancyService tenancy, CatalogueBrowse browse, CatalogueStore catalogue, TryItRunner runner, IStringLocalizer<PortalText> text) : ConsolePageModel
{
    public const int MaxLimit = 100;

    /// <summary>The id of the region htmx swaps with the answer.</summary>
    public const string ResultId = "try-result";

    /// <summary>How many datasets the dataset list offers (by title); a dataset named in the address is offered besides.</summary>
    private const int Offered = 100;

    public IReadOnlyList<App> Apps { get; private set; } = [];

    /// <summary>The environment whose apps are offered (<c>live</c> or <c>sandbox</c>, as the console's switch says).</summary>
    public string Environment { get; private set; } = PortalEnvironment.Live;

    public IReadOnlyList<DatasetRow> Datasets { get; private set; } = [];

    public TryItResult? Result { get; private set; }

    public CodeSnippets? Snippets { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Dataset { get; set; }

    [BindProperty]
    public string? App { get; set; }

    [BindProperty]
    public string? Select { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Where { get; set; }

    [BindProperty]
    public string? OrderBy { get; set; }

    [BindProperty]
    public string? Limit { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Limit = "10";
        await LoadAsync(cancellationToken);
        Dataset ??= Datasets.FirstOrDefault(r => r.Classification == "open")?.Id;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        var errors = new Dictionary<string, string[]>();
        if (Apps.All(a => a.Id != App))
        {
            errors["app"] = [Text("Try.PickApp")];
        }
        if (string.IsNullOrWhiteSpace(Dataset))
        {
            errors["dataset"] = [Text("Try.PickDataset")];
        }
        var limit = 0;
        if (!int.TryParse(Limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [Text("Try.LimitRange", MaxLimit)];
        }
        foreach (var (name, value) in new[] { ("select", Select), ("where", Where), ("orderBy", OrderBy) })
        {
            if (value?.Length > 2000)
            {
                errors[name] = [Text("Try.TooLong", 2000)];
            }
        }
        if (errors.Count == 0)
        {
            var acting = await tenancy.ActAsAppAsync(Person.Principal, App!, cancellationToken);
            if (acting.Refusal is { } refusal)
            {
                return Answer(Refused("App", refusal, new Dictionary<string, string>(StringComparer.Ordinal) { [TenancyErrors.AppNotFound] = "app" }));
            }
            var query = new TryItQuery(Dataset!.Trim(), Select, Where, OrderBy, limit);
            Result = await runner.RunAsync(HttpContext, acting.Value!, query, cancellationToken);
            Snippets = CodeSnippets.For($"{Request.Scheme}://{Request.Host}{Request.PathBase}", query.DatasetId,
                query.Parameters(), needsToken: true);
            return Answer(Page());
        }
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(field, message);
            }
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Answer(Page());
    }

    /// <summary>htmx asked for the answer only; a plain form post gets the whole page with it.</summary>
    private IActionResult Answer(IActionResult page) =>
        Request.Headers["HX-Target"] == ResultId ? Partial("_TryResult", this) : page;

    private string Text(string key, params object[] arguments) => text[key, arguments];

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // The console's switch decides: live apps in live mode, sandbox apps (which read the twins) in sandbox mode.
        Environment = PortalEnvironment.Current(HttpContext);
        Apps = ((await tenancy.ListAppsAsync(Person.Principal, Person.Tenant.Id, cancellationToken)).Value?.Items ?? [])
            .Where(a => !a.Disabled && string.Equals(a.Environment, Environment, StringComparison.Ordinal)).ToList();
        App ??= Apps.Count > 0 ? Apps[0].Id : null;
        var (rows, _) = await browse.PageAsync(new BrowseFilter(null, null, null, null), BrowseSort.Title, 0, Offered, cancellationToken);
        if (Dataset is { Length: > 0 } named && rows.All(r => r.Id != named))
        {
            rows.InsertRange(0, await catalogue.RowsAsync([named], cancellationToken));
        }
        Datasets = rows;
    }
}
