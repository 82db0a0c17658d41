using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Contests;

/// <summary>
/// A contest's leaderboard, public once the organiser has published the results (as <c>GET /v1/contests/{id}/leaderboard</c>).
/// Before that the page says the results are not yet published, with the phase now, and answers 404 as the API does.
/// </summary>
internal sealed class LeaderboardModel(ContestService contests) : PageModel
{
    public string Id { get; private set; } = "";

    public Contest? Contest { get; private set; }

    public bool Published => Contest?.ResultsPublishedAt is not null;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        Contest = (await contests.GetAsync(id, cancellationToken)).Value;
        if (!Published)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        return Page();
    }
}
