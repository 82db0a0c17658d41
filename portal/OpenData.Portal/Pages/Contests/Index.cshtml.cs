using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Contests;

/// <summary>The public list of contests (as <c>GET /v1/contests</c>): each with its phase and dates, those under way first.</summary>
internal sealed class IndexModel(ContestService contests) : PageModel
{
    public IReadOnlyList<Contest> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Anyone's list (the public contests): an operator's invite-only contests are on the console's contests page, not here.
        var all = (await contests.ListAsync(new System.Security.Claims.ClaimsPrincipal(), cancellationToken)).Items;
        Items = [.. all.OrderBy(c => c.Phase is ContestPhases.Results ? 1 : 0)];
    }
}
