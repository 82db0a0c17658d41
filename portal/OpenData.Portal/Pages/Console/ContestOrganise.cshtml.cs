using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Common;
using OpenData.Portal.Contests;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The organiser's page of one contest (platform operators only): its phase and timeline, links to its public page and its edit
/// form, and its teams, each pending one with the organiser's decision (approve or reject with a reason, as
/// <c>POST /v1/contests/{id}/teams/{teamId}/decision</c>, <see cref="TeamService.DecideAsync"/>); how many versions each team submitted.
/// </summary>
internal sealed class ContestOrganiseModel(ContestService contests, TeamService teams, SubmissionService submissions, IStringLocalizer<PortalText> text)
    : ConsolePageModel
{
    public string Id { get; private set; } = "";

    public Contest? Contest { get; private set; }

    public IReadOnlyList<ContestStep> Timeline { get; private set; } = [];

    /// <summary>What just happened (<c>created</c>, <c>saved</c>, <c>decided</c>), from the address a form led to or the decision just taken.</summary>
    public string? Done { get; private set; }

    public IReadOnlyList<Team> Teams { get; private set; } = [];

    /// <summary>How many versions each team submitted (team id → count).</summary>
    public IReadOnlyDictionary<string, int> VersionCounts { get; private set; } = new Dictionary<string, int>();

    /// <summary>The team a posted decision was about (its refusal is shown on its row).</summary>
    public string? DecidedTeam { get; private set; }

    [BindProperty]
    public string? Reason { get; set; }

    public bool IsOrganiser => Person.IsOperator && Holds(Platform.Identity.Scopes.PlatformAdmin);

    public async Task<IActionResult> OnGetAsync(string id, string? done, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken))
        {
            Done = done is "created" or "saved" ? done : null;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(string id, string? teamId, string? decision, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return Page();
        }
        DecidedTeam = teamId;
        var decided = await teams.DecideAsync(Person.Principal, id, teamId ?? "", new TeamDecision(decision, Reason), cancellationToken);
        if (decided.Refusal is { } refusal)
        {
            // The service asks for a reason to reject in its own words; the page says it in its language.
            if (refusal.Code == CommonErrors.Validation && decision == "reject" && string.IsNullOrWhiteSpace(Reason))
            {
                ModelState.AddModelError("reason", text["Organise.ReasonRequired"]);
                Response.StatusCode = refusal.Status;
                return Page();
            }
            // Bad input belongs beside the team's reason; a decision already taken (or a team gone) is the page's message.
            return Refused("Decision", refusal, new Dictionary<string, string> { [CommonErrors.Validation] = "reason" });
        }
        Done = "decided";
        Reason = null;
        Teams = (await teams.ListAsync(Person.Principal, id, cancellationToken)).Value?.Items ?? [];
        return Page();
    }

    /// <summary>The contest and its teams for an organiser; false (with the page's status) for anyone else or an unknown id.</summary>
    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        if (!IsOrganiser)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }
        Contest = (await contests.GetAsync(id, cancellationToken)).Value;
        if (Contest is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
        Timeline = ContestStep.Timeline(Contest);
        Teams = (await teams.ListAsync(Person.Principal, id, cancellationToken)).Value?.Items ?? [];
        VersionCounts = ((await submissions.ListAsync(Person.Principal, id, null, cancellationToken)).Value?.Items ?? [])
            .GroupBy(s => s.TeamId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return true;
    }
}
