using Microsoft.AspNetCore.Mvc;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// An entry's PDF for a judge who may see it (as <c>GET /v1/contests/{id}/entries/{entry}/attachment</c>), under its blind name
/// (<c>entry-{code}.pdf</c>), as a download under a sandboxing policy; anyone else is told there is none (404).
/// </summary>
internal sealed class ContestEntryAttachmentModel(JudgingService judging) : ConsolePageModel
{
    public async Task<IActionResult> OnGetAsync(string id, string entry, CancellationToken cancellationToken) =>
        ContestAttachmentModel.Download(this, await judging.AttachmentAsync(Person.Principal, id, entry, cancellationToken));
}
