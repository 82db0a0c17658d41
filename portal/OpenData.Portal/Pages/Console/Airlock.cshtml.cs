using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Analytics.Jobs;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The airlock (出口审核) of a data owner: analysis jobs on its datasets whose outputs passed the automatic checks and wait for its
/// review, each query's checked output as a table (with how many cells the checks suppressed), and the decision — release, release
/// withholding some outputs, or reject, always with a reason — through <see cref="AnalysisJobService.DecideAsync"/>, with the rules,
/// refusals and audit of <c>POST /v1/analysis-jobs/{id}/decision</c>. Below, the jobs still being checked and the ones decided.
/// For an owner's people (403 for a tenant that owns no data); deciding needs datasets:write.
/// </summary>
internal sealed class AirlockModel(AnalysisJobService jobs, TenancyStore tenancy) : ConsolePageModel
{
    private const string Form = "Airlock";

    /// <summary>How many decided jobs the page lists (newest first).</summary>
    public const int DecidedShown = 20;

    public IReadOnlyList<AnalysisJobView> Awaiting { get; private set; } = [];

    public IReadOnlyList<AnalysisJobView> Checking { get; private set; } = [];

    public IReadOnlyList<AnalysisJobView> Decided { get; private set; } = [];

    /// <summary>The requesting tenants' names.</summary>
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    /// <summary>Why nothing is shown: 403 (a tenant that owns no data); else null.</summary>
    public int? Unavailable { get; private set; }

    /// <summary>The job just decided, as it now stands.</summary>
    public AnalysisJobView? Done { get; private set; }

    /// <summary>Whether the decision came too late (decided by someone else first); the airlock was read again.</summary>
    public bool Raced { get; private set; }

    /// <summary>The job whose form was posted back refused (its fields keep what was typed), or null.</summary>
    public string? Deciding { get; private set; }

    [BindProperty]
    public string? JobId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public List<int> Withhold { get; set; } = [];

    public bool MayDecide => Holds(Scopes.DatasetsWrite);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (OwnersOnly() is { } refused)
        {
            return refused;
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(string? decision, CancellationToken cancellationToken)
    {
        if (OwnersOnly() is { } refused)
        {
            return refused;
        }
        var id = JobId ?? "";
        var decided = await jobs.DecideAsync(Person.Principal, id, new AnalysisJobDecision(decision, Reason, decision == "release" ? Withhold : null), cancellationToken);
        if (decided.Refusal is { } refusal)
        {
            if (refusal.Code == AnalysisJobsErrors.NotAwaitingReview)
            {
                Raced = true;
                await LoadAsync(cancellationToken);
                Response.StatusCode = refusal.Status;
                return Page();
            }
            Deciding = id;
            await LoadAsync(cancellationToken);
            return Refused(Form, refusal);
        }
        Done = decided.Value;
        Reason = null;
        Withhold = [];
        await LoadAsync(cancellationToken);
        return Page();
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult? OwnersOnly()
    {
        if (Person.IsOwnerTenant)
        {
            return null;
        }
        Unavailable = StatusCodes.Status403Forbidden;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var all = (await jobs.ListAsync(Person.Principal, "reviewer", null, cancellationToken)).Value ?? [];
        // Oldest first while they wait (first come, first reviewed); the decided newest first.
        Awaiting = [.. all.Where(j => j.Status == AnalysisJobStatus.AwaitingReview).OrderBy(j => j.CreatedAt).ThenBy(j => j.Id, StringComparer.Ordinal)];
        Checking = [.. all.Where(j => j.Status is AnalysisJobStatus.Queued or AnalysisJobStatus.Running).OrderBy(j => j.CreatedAt)];
        Decided = [.. all.Where(j => j.Status is AnalysisJobStatus.Released or AnalysisJobStatus.Rejected or AnalysisJobStatus.Failed)
            .OrderByDescending(j => j.DecidedAt ?? j.CreatedAt).Take(DecidedShown)];
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tenant in all.Select(j => j.Tenant).Distinct(StringComparer.Ordinal))
        {
            names[tenant] = (await tenancy.TenantAsync(tenant, cancellationToken))?.Name ?? tenant;
        }
        Names = names;
    }
}
