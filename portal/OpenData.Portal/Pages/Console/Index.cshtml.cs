using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Promotion;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The console's apps: the tenant's apps for every member; creating one, rotating a secret and disabling an app for its admins
/// (the buttons are not shown to others, and <see cref="TenancyService"/> or this page refuses them if posted anyway). A new
/// secret is shown once, in the answer to the POST that made it, and never stored but as a hash. A sandbox app's admin may
/// promote it to live (<see cref="PromotionService"/>, as <c>POST /v1/apps/{id}/promote</c>): the live app's secret is shown
/// once the same way, with links to the draft access requests it made on the requests page.
/// </summary>
internal sealed class IndexModel(TenancyService tenancy, PromotionService promotion) : ConsolePageModel
{
    public IReadOnlyList<App> Apps { get; private set; } = [];

    /// <summary>The secret just made (by create or rotate), shown this once.</summary>
    public AppCredentials? Shown { get; private set; }

    /// <summary>What just happened: <c>created</c>, <c>rotated</c>, <c>promoted</c> or <c>disabled</c>.</summary>
    public string? Done { get; private set; }

    /// <summary>The draft access requests a promotion just made.</summary>
    public IReadOnlyList<PromotedDraft> Drafts { get; private set; } = [];

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Environment { get; set; }

    [BindProperty]
    public List<string> Scopes { get; set; } = [];

    public IReadOnlyList<string> AllowedScopes => TenantRoles.AllowedScopes(Person.Tenant.Kind, Person.ExtraScopes);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Scopes = [.. Platform.Identity.Scopes.AppDefault];
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var created = await tenancy.CreateAppAsync(Person.Principal, Person.Tenant.Id,
            new NewApp(Name ?? "", Scopes.Count > 0 ? Scopes : null, Environment, null), cancellationToken);
        await LoadAsync(cancellationToken);
        if (created.Refusal is { } refusal)
        {
            return Refused("App", refusal);
        }
        Shown = created.Value;
        Done = "created";
        Name = null;
        Environment = null;
        Scopes = [.. Platform.Identity.Scopes.AppDefault];
        return Page();
    }

    public async Task<IActionResult> OnPostRotateAsync(string? appId, CancellationToken cancellationToken)
    {
        Scopes = [.. Platform.Identity.Scopes.AppDefault];
        await LoadAsync(cancellationToken);
        if (!Person.IsAdmin)
        {
            return Refused("App", AdminOnly());
        }
        var rotated = await tenancy.RotateSecretAsync(Person.Principal, appId ?? "", cancellationToken);
        if (rotated.Refusal is { } refusal)
        {
            return Refused("App", refusal);
        }
        Shown = rotated.Value;
        Done = "rotated";
        return Page();
    }

    public async Task<IActionResult> OnPostPromoteAsync(string? appId, CancellationToken cancellationToken)
    {
        Scopes = [.. Platform.Identity.Scopes.AppDefault];
        if (!Person.IsAdmin)
        {
            await LoadAsync(cancellationToken);
            return Refused("App", AdminOnly());
        }
        var promoted = await promotion.PromoteAsync(Person.Principal, appId ?? "", cancellationToken);
        await LoadAsync(cancellationToken);
        if (promoted.Refusal is { } refusal)
        {
            return Refused("App", refusal);
        }
        Shown = promoted.Value!.App;
        Drafts = promoted.Value.Drafts;
        Done = "promoted";
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string? appId, CancellationToken cancellationToken)
    {
        Scopes = [.. Platform.Identity.Scopes.AppDefault];
        if (!Person.IsAdmin)
        {
            await LoadAsync(cancellationToken);
            return Refused("App", AdminOnly());
        }
        var disabled = await tenancy.DisableAppAsync(Person.Principal, appId ?? "", cancellationToken);
        await LoadAsync(cancellationToken);
        if (disabled.Refusal is { } refusal)
        {
            return Refused("App", refusal);
        }
        Done = "disabled";
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Apps = (await tenancy.ListAppsAsync(Person.Principal, Person.Tenant.Id, cancellationToken)).Value?.Items ?? [];
}
