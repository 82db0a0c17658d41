using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Analytics.Jobs;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// A requester's analysis jobs (可用不可见): a form that submits a job — a dataset and up to <see cref="Rows"/> aggregate queries
/// (group by, measures, where) — through <see cref="AnalysisJobService.SubmitAsync"/> with the rules and refusals of
/// <c>POST /v1/analysis-jobs</c>, and the tenant's jobs, newest first, with their state in the airlock; outputs appear only once the
/// dataset's owner released them (minus the withheld ones), never before and never after a rejection. Submitting needs access:request.
/// </summary>
internal sealed class AnalysisModel(AnalysisJobService jobs) : ConsolePageModel
{
    private const string Form = "Analysis";

    /// <summary>How many query rows the form offers (the API takes up to <see cref="AnalysisJobService.MaxQueries"/>).</summary>
    public const int Rows = 3;

    public IReadOnlyList<AnalysisJobView> Jobs { get; private set; } = [];

    /// <summary>The job just submitted.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Submitted { get; set; }

    [BindProperty(SupportsGet = true, Name = "dataset")]
    public string? DatasetId { get; set; }

    [BindProperty]
    public List<string?> GroupBy { get; set; } = [];

    [BindProperty]
    public List<string?> Measures { get; set; } = [];

    [BindProperty]
    public List<string?> Where { get; set; } = [];

    public bool MaySubmit => Holds(Scopes.AccessRequest);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSubmitAsync(CancellationToken cancellationToken)
    {
        if (!MaySubmit)
        {
            await LoadAsync(cancellationToken);
            return Refused(Form, Refusal.Forbidden(CommonErrors.InsufficientScope, "this needs the access:request scope"));
        }
        // The rows left blank are no query; each list is the comma-separated names typed.
        var queries = new List<AnalysisJobQuery?>();
        for (var i = 0; i < Rows; i++)
        {
            var groupBy = Names(GroupBy.ElementAtOrDefault(i));
            var measures = Names(Measures.ElementAtOrDefault(i));
            var where = Where.ElementAtOrDefault(i);
            if (groupBy.Count == 0 && measures.Count == 0 && string.IsNullOrWhiteSpace(where))
            {
                continue;
            }
            queries.Add(new AnalysisJobQuery(groupBy, measures, string.IsNullOrWhiteSpace(where) ? null : where.Trim()));
        }
        var outcome = await jobs.SubmitAsync(Person.Principal, new AnalysisJobSubmission(DatasetId?.Trim(), queries), cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            await LoadAsync(cancellationToken);
            return Refused(Form, refusal);
        }
        return Redirect($"/console/analysis?submitted={Uri.EscapeDataString(outcome.Value!.Id)}");
    }

    /// <summary>The names of a comma-separated list (Chinese commas too), in order.</summary>
    private static List<string> Names(string? text) =>
        [.. (text ?? "").Split([',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Jobs = [.. ((await jobs.ListAsync(Person.Principal, null, null, cancellationToken)).Value ?? []).OrderByDescending(j => j.CreatedAt)];
}
