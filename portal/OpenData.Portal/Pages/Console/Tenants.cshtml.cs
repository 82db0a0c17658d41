using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Quotas;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The operator's tenants (platform:admin): searched by name or id, filtered by kind and plan, a page at a time, as
/// <see cref="TenancyService.SearchTenantsAsync"/> answers; each links to its page (<see cref="TenantModel"/>).
/// </summary>
internal sealed class TenantsModel(TenancyService tenancy, PlanPolicy plans) : ConsolePageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Plan { get; set; }

    /// <summary>The page shown (the query's <c>page</c>; Razor Pages' own route value of that name would shadow a bound property).</summary>
    public int PageNumber { get; private set; } = 1;

    public IReadOnlyList<TenantSummary> Items { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public IReadOnlyList<string> Plans => plans.TenantPlans;

    public static IReadOnlyList<string> Kinds => TenantRoles.Kinds;

    /// <summary>Whether the person is one of the platform's operators (else the page says so, 403).</summary>
    public bool IsOperator => Person.IsOperator && Holds(Platform.Identity.Scopes.PlatformAdmin);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!IsOperator)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        Kind = string.IsNullOrWhiteSpace(Kind) ? null : Kind;
        Plan = string.IsNullOrWhiteSpace(Plan) ? null : Plan;
        PageNumber = int.TryParse(Request.Query["page"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var page)
            ? Math.Clamp(page, 1, 100_000) : 1;
        var found = await tenancy.SearchTenantsAsync(Person.Principal, new TenantSearch(Q, Kind, Plan, (PageNumber - 1) * PageSize, PageSize), cancellationToken);
        if (found.Refusal is { } refusal)
        {
            return Refused("Tenants", refusal);
        }
        Items = found.Value!.Items;
        Total = found.Value.Total;
        return Page();
    }

    /// <summary>This search's address on another page.</summary>
    public string Link(int page)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            query.Add(new("q", Q));
        }
        if (Kind is not null)
        {
            query.Add(new("kind", Kind));
        }
        if (Plan is not null)
        {
            query.Add(new("plan", Plan));
        }
        if (page > 1)
        {
            query.Add(new("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return "/console/tenants" + QueryString.Create(query).ToUriComponent();
    }
}
