using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The organiser's view of a contest's submissions (as <c>GET /v1/contests/{id}/submissions</c>): every version of every team, the
/// current one marked and the older kept for disputes, each PDF downloadable. Platform operators only.
/// </summary>
internal sealed class ContestSubmissionsModel(ContestService contests, SubmissionService submissions) : ConsolePageModel
{
    public string Id { get; private set; } = "";

    public Contest? Contest { get; private set; }

    public IReadOnlyList<Submission> Versions { get; private set; } = [];

    public bool IsOrganiser => Person.IsOperator && Holds(Platform.Identity.Scopes.PlatformAdmin);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        if (!IsOrganiser)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        Contest = (await contests.GetAsync(id, cancellationToken)).Value;
        if (Contest is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Versions = (await submissions.ListAsync(Person.Principal, id, null, cancellationToken)).Value?.Items ?? [];
        return Page();
    }
}
