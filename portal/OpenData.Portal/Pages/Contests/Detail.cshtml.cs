using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Platform.Catalogue;
using OpenData.Portal.Contests;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Contests;

/// <summary>
/// A contest's public page (as <c>GET /v1/contests/{id}</c>; an invite-only contest too, its link being the invitation): its
/// description in the page's language where the organiser wrote one, the timeline with the phase now, the rules, tracks, the
/// datasets in scope linked to their pages, the team size limit, the judging criteria and how to register (and, for a signed-in
/// person, their tenant's teams of it).
/// </summary>
internal sealed class DetailModel(ContestService contests, TeamService teams, CatalogueStore catalogue) : PageModel
{
    public string Id { get; private set; } = "";

    /// <summary>The contest; null when there is none of this id (the page answers 404).</summary>
    public Contest? Contest { get; private set; }

    public IReadOnlyList<ContestStep> Timeline { get; private set; } = [];

    /// <summary>The datasets in scope, in the contest's order; an id the catalogue no longer has stays, without its row.</summary>
    public IReadOnlyList<(string Id, DatasetRow? Row)> Datasets { get; private set; } = [];

    public bool RegistrationOpen => Contest?.Phase == ContestPhases.Registration;

    /// <summary>The signed-in person's tenant's teams of this contest (none for a visitor).</summary>
    public IReadOnlyList<Team> OwnTeams { get; private set; } = [];

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        var found = await contests.GetAsync(id, cancellationToken);
        if (found.Value is not { } contest)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Contest = contest;
        Timeline = ContestStep.Timeline(contest);
        var rows = (await catalogue.RowsAsync(contest.Datasets, cancellationToken)).ToDictionary(r => r.Id, StringComparer.Ordinal);
        Datasets = [.. contest.Datasets.Select(d => (d, rows.GetValueOrDefault(d)))];
        if (SignedIn)
        {
            OwnTeams = (await teams.ListAsync(User, id, cancellationToken)).Value?.Items ?? [];
        }
        return Page();
    }
}
