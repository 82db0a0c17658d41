using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Contests;

/// <summary>
/// A contest's leaderboard, public once the organiser has published the results (as <c>GET /v1/contests/{id}/leaderboard</c>,
/// <see cref="ResultService.LeaderboardAsync"/>): rank, team, the app, score and award. Before that the page says the results are
/// not yet published, with the phase now, and answers 404.
/// </summary>
internal sealed class LeaderboardModel(ContestService contests, ResultService results) : PageModel
{
    public string Id { get; private set; } = "";

    public Contest? Contest { get; private set; }

    public Leaderboard? Board { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        Contest = (await contests.GetAsync(id, cancellationToken)).Value;
        Board = Contest is null ? null : (await results.LeaderboardAsync(id, cancellationToken)).Value;
        if (Board is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }
}
