using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Common;
using OpenData.Platform.Quotas;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// One tenant for the operator: its kind, plan, age and people; its plan changed, single limits overridden (each beside the
/// plan's value and the limit in force) and disabled with a reason or enabled again — all through
/// <see cref="TenancyService.PatchTenantAsync"/>, the service of <c>PATCH /v1/tenants/{id}</c> — and its apps, each of which
/// the operator may disable.
/// </summary>
internal sealed class TenantModel(TenancyService tenancy, PlanPolicy plans) : ConsolePageModel
{
    public static IReadOnlyList<string> LimitNames => PlanLimits.Names;

    public TenantSummary? Summary { get; private set; }

    public IReadOnlyList<App> Apps { get; private set; } = [];

    public IReadOnlyList<string> Plans => plans.TenantPlans;

    /// <summary>The limits of the tenant's plan, before its overrides.</summary>
    public PlanLimits PlanValues => plans.For(Summary?.Tenant.Plan ?? "free");

    /// <summary>The limits in force: the plan's with the tenant's overrides.</summary>
    public PlanLimits Effective => PlanValues.With(Summary?.Tenant.Limits);

    /// <summary>What each limit field shows: what was posted (after a refusal), else the tenant's override, else empty.</summary>
    public Dictionary<string, string?> LimitValues { get; } = new(StringComparer.Ordinal);

    /// <summary>The resource key of what was just done, and its argument.</summary>
    public (string Key, string? Argument)? Done { get; private set; }

    [BindProperty]
    public string? Plan { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? AppId { get; set; }

    public bool IsOperator => Person.IsOperator && Holds(Platform.Identity.Scopes.PlatformAdmin);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsOperator)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        return await LoadAsync(id, cancellationToken) ? Page() : NotFoundPage();
    }

    public async Task<IActionResult> OnPostPlanAsync(string id, CancellationToken cancellationToken) =>
        await PatchAsync(id, "TenantPlan", new TenantPatch(Plan ?? "", null), ("Tenant.PlanChanged", Plan), cancellationToken);

    public async Task<IActionResult> OnPostLimitsAsync(string id, CancellationToken cancellationToken)
    {
        var limits = new Dictionary<string, long?>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in LimitNames)
        {
            var text = Request.HasFormContentType ? Request.Form["limits." + name].ToString().Trim() : "";
            LimitValues[name] = text;
            if (text.Length == 0)
            {
                limits[name] = null;
            }
            else if (long.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                limits[name] = value;
            }
            else
            {
                errors["limits." + name] = [TenancyService.NegativeLimit];
            }
        }
        if (errors.Count > 0 && IsOperator)
        {
            if (!await LoadAsync(id, cancellationToken))
            {
                return NotFoundPage();
            }
            return Refused("TenantLimits", Refusal.Validation(errors), messageKeys: LimitMessages);
        }
        return await PatchAsync(id, "TenantLimits", new TenantPatch(null, limits), ("Tenant.LimitsSaved", null), cancellationToken);
    }

    public async Task<IActionResult> OnPostDisableAsync(string id, CancellationToken cancellationToken) =>
        await PatchAsync(id, "TenantDisable", new TenantPatch(null, null, true, Reason), ("Tenant.DisabledDone", null), cancellationToken);

    public async Task<IActionResult> OnPostEnableAsync(string id, CancellationToken cancellationToken) =>
        await PatchAsync(id, "TenantDisable", new TenantPatch(null, null, false), ("Tenant.EnabledDone", null), cancellationToken);

    public async Task<IActionResult> OnPostDisableAppAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsOperator)
        {
            return Forbidden();
        }
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFoundPage();
        }
        // Only an app of this tenant: the service lets the operator disable any app, the page only the ones it lists.
        var app = Apps.FirstOrDefault(a => a.Id == AppId);
        if (app is null)
        {
            return Refused("TenantApp", Refusal.NotFound(TenancyErrors.AppNotFound, $"no app '{AppId}' in this tenant"));
        }
        var disabled = await tenancy.DisableAppAsync(Person.Principal, app.Id, cancellationToken);
        if (disabled.Refusal is { } refusal)
        {
            return Refused("TenantApp", refusal);
        }
        await LoadAsync(id, cancellationToken);
        Done = ("Tenant.AppDisabledDone", app.Name);
        return Page();
    }

    /// <summary>The service's words for a bad limit, said in the page's language.</summary>
    private static readonly Dictionary<string, string> LimitMessages = new(StringComparer.Ordinal) { [TenancyService.NegativeLimit] = "Field.TenantLimits.limit" };

    private async Task<IActionResult> PatchAsync(string id, string form, TenantPatch patch, (string Key, string? Argument) done, CancellationToken cancellationToken)
    {
        if (!IsOperator)
        {
            return Forbidden();
        }
        var patched = await tenancy.PatchTenantAsync(Person.Principal, id, patch, cancellationToken);
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFoundPage();
        }
        if (patched.Refusal is { } refusal)
        {
            return Refused(form, refusal, messageKeys: LimitMessages);
        }
        Done = done;
        Reason = null;
        // The fields show the overrides now in force.
        LimitValues.Clear();
        FillLimits();
        return Page();
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Forbidden()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult NotFoundPage()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var summary = await tenancy.SummaryAsync(Person.Principal, id, cancellationToken);
        Summary = summary.Value;
        if (Summary is null)
        {
            return false;
        }
        Apps = (await tenancy.ListAppsAsync(Person.Principal, id, cancellationToken)).Value?.Items ?? [];
        Plan ??= Summary.Tenant.Plan;
        FillLimits();
        return true;
    }

    private void FillLimits()
    {
        foreach (var name in LimitNames)
        {
            if (!LimitValues.ContainsKey(name))
            {
                LimitValues[name] = Summary!.Tenant.Limits.TryGetValue(name, out var value) ? value.ToString(CultureInfo.InvariantCulture) : "";
            }
        }
    }

    /// <summary>A limit's value by name (null: unlimited).</summary>
    public static long? Of(PlanLimits limits, string name) => name switch
    {
        "ratePerSecond" => limits.RatePerSecond,
        "burst" => limits.Burst,
        "dailyRequests" => limits.DailyRequests,
        "dailyRows" => limits.DailyRows,
        _ => limits.ExportRows,
    };
}
