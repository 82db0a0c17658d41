using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Common;
using OpenData.Portal.Developer;
using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// A submission's PDF (as <c>GET /v1/contests/{id}/attachments/{attachmentId}</c>, <see cref="SubmissionService.DownloadAsync"/>): for the
/// organiser and the team that uploaded it, always as a download and under a sandboxing policy, never rendered in the portal's
/// origin; anyone else is told there is none (404).
/// </summary>
internal sealed class ContestAttachmentModel(SubmissionService submissions) : ConsolePageModel
{
    public async Task<IActionResult> OnGetAsync(string id, string attachmentId, CancellationToken cancellationToken)
    {
        var found = await submissions.DownloadAsync(Person.Principal, id, attachmentId, cancellationToken);
        if (found.Value is not { } file)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Response.Headers.ContentDisposition = Attachment.ContentDisposition(file.FileName);
        Response.Headers.ContentSecurityPolicy = "sandbox";
        return File(file.Content, file.ContentType);
    }
}
