using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Access;
using OpenData.Platform.Analytics.Verification;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// A request for rows (or, where its owner defined one, the verification) of a restricted dataset, posted from the dataset's page: <see cref="AccessService.SubmitAsync"/>, the
/// same rules and codes as <c>POST /v1/access-requests</c>. Accepted, the person goes back to the dataset's page, which shows
/// the request's status; refused, this page shows the form again with the service's reasons on its fields.
/// </summary>
internal sealed class RequestAccessModel(AccessService access, TenancyService tenancy, CatalogueStore catalogue, VerificationStore verifications) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string? DatasetId { get; set; }

    [BindProperty]
    public string? Purpose { get; set; }

    [BindProperty]
    public List<string>? Columns { get; set; }

    [BindProperty]
    public int? DurationDays { get; set; }

    [BindProperty]
    public string? AppId { get; set; }

    /// <summary>records (rows, the default) or verify (the dataset's verification only).</summary>
    [BindProperty]
    public string? Kind { get; set; }

    public DatasetRow? Dataset { get; private set; }

    public AccessRequestForm Form { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Dataset is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Person.MayRequestAccess)
        {
            await LoadAsync(cancellationToken);
            return Refused("RequestAccess", Platform.Common.Refusal.Forbidden(Platform.Common.CommonErrors.InsufficientScope, "this needs the access:request scope"));
        }
        var submitted = await access.SubmitAsync(Person.Principal,
            Kind == AccessKind.Verify
                ? new NewAccessRequest(DatasetId, null, Purpose, DurationDays, string.IsNullOrEmpty(AppId) ? null : AppId, Kind: Kind)
                : new NewAccessRequest(DatasetId, Columns ?? [], Purpose, DurationDays, string.IsNullOrEmpty(AppId) ? null : AppId,
                    Kind: string.IsNullOrEmpty(Kind) ? null : Kind), cancellationToken);
        if (submitted.Refusal is { } refusal)
        {
            await LoadAsync(cancellationToken);
            return Refused("RequestAccess", refusal);
        }
        return Redirect("/datasets/" + Uri.EscapeDataString(submitted.Value!.DatasetId) + "#access-heading");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var found = string.IsNullOrEmpty(DatasetId) ? null : await catalogue.GetAsync(DatasetId, cancellationToken);
        Dataset = found?.Dataset;
        var apps = (await tenancy.ListAppsAsync(Person.Principal, Person.Tenant.Id, cancellationToken)).Value?.Items ?? [];
        Form = new AccessRequestForm(DatasetId ?? "",
            found?.Columns.Select(c => (c.Name, string.IsNullOrEmpty(c.Title) ? c.Name : c.Title)).ToList() ?? [],
            apps.Where(a => !a.Disabled).Select(a => (a.ClientId, a.Name)).ToList(),
            Purpose, Request.Method == "POST" ? Columns ?? [] : null, DurationDays ?? AccessRequestForm.DefaultDurationDays, AppId, ModelState,
            found is not null && await verifications.FindAsync(found.Value.Dataset.Key, cancellationToken) is not null, Kind);
    }
}
