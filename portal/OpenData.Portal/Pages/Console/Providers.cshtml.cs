using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Identity;
using OpenData.Platform.Marketplace.Providers;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;
using OpenData.Portal.Marketplace;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The operator's provider licences (数据服务商授权): who is licensed to publish products though it owns no data (and who was, until
/// revoked), a form licensing a consumer tenant by id with a note, and revoking, through <see cref="ProviderLicences"/> with the
/// rules, refusals and audit of <c>POST /v1/tenants/{id}/provider-licence</c>. The operator's (platform:admin) only: 403 for anyone else.
/// </summary>
internal sealed class ProvidersModel(ProviderLicences licences, TenancyStore tenancy) : ConsolePageModel
{
    private const string Form = "Licence";

    public IReadOnlyList<LicenceView> Items { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    /// <summary>Why nothing is shown: 403 for anyone but the operator; else null.</summary>
    public int? Unavailable { get; private set; }

    /// <summary>The licence just granted or revoked, as it now stands.</summary>
    public LicenceView? Done { get; private set; }

    [BindProperty]
    public string? TenantId { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (OperatorsOnly() is { } refused)
        {
            return refused;
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostLicenseAsync(CancellationToken cancellationToken) => SetAsync(true, cancellationToken);

    public Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken) => SetAsync(false, cancellationToken);

    private async Task<IActionResult> SetAsync(bool licensed, CancellationToken cancellationToken)
    {
        if (OperatorsOnly() is { } refused)
        {
            return refused;
        }
        var set = await licences.SetAsync(Person.Principal, (TenantId ?? "").Trim(), new LicenceInput(licensed, string.IsNullOrWhiteSpace(Note) ? null : Note.Trim()),
            cancellationToken);
        await LoadAsync(cancellationToken);
        if (set.Refusal is { } refusal)
        {
            return Refused(Form, refusal, new Dictionary<string, string> { [Platform.Marketplace.MarketplaceErrors.TenantNotFound] = "tenantId" });
        }
        Done = set.Value;
        (TenantId, Note) = (null, null);
        return Page();
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult? OperatorsOnly()
    {
        if (Person.IsOperator && Holds(Scopes.PlatformAdmin))
        {
            return null;
        }
        Unavailable = StatusCodes.Status403Forbidden;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Items = (await licences.ListAsync(Person.Principal, cancellationToken)).Value ?? [];
        Names = await MarketNames.ProvidersAsync(tenancy, Items.Select(l => l.Tenant), cancellationToken);
    }
}
