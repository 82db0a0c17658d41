using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Access;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The tenant's access requests with their whole history, and its grants with their expiry, as <see cref="AccessService"/>
/// answers <c>GET /v1/access-requests?role=requester</c> and <c>GET /v1/grants</c> (the tenant's own grants only).
/// </summary>
internal sealed class RequestsModel(AccessService access) : ConsolePageModel
{
    public IReadOnlyList<AccessRequestView> Requests { get; private set; } = [];

    public IReadOnlyList<GrantView> Grants { get; private set; } = [];

    /// <summary>The request just submitted from a dataset page, to point out.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Submitted { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Requests = (await access.ListAsync(Person.Principal, "requester", null, cancellationToken)).Value?.Items ?? [];
        Grants = (await access.ListGrantsAsync(Person.Principal, cancellationToken)).Items.Where(g => g.Tenant == Person.Tenant.Id).ToList();
        return Page();
    }
}
