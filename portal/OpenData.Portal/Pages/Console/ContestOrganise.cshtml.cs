using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Portal.Contests;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The organiser's page of one contest (platform operators only): its phase and timeline, what the public page shows, and the
/// organiser's work on it.
/// </summary>
internal sealed class ContestOrganiseModel(ContestService contests) : ConsolePageModel
{
    public string Id { get; private set; } = "";

    public Contest? Contest { get; private set; }

    public IReadOnlyList<ContestStep> Timeline { get; private set; } = [];

    /// <summary>What just happened (<c>created</c>, <c>saved</c>), from the address a form led to.</summary>
    public string? Done { get; private set; }

    public bool IsOrganiser => Person.IsOperator && Holds(Platform.Identity.Scopes.PlatformAdmin);

    public async Task<IActionResult> OnGetAsync(string id, string? done, CancellationToken cancellationToken)
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
        Timeline = ContestStep.Timeline(Contest);
        Done = done is "created" or "saved" ? done : null;
        return Page();
    }
}
