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
        return Download(this, await submissions.DownloadAsync(Person.Principal, id, attachmentId, cancellationToken));
    }

    /// <summary>The PDF as a download under a sandboxing policy, or the page's 404 when the caller may not read it.</summary>
    internal static IActionResult Download(ConsolePageModel page, Outcome<AttachmentContent> found)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (found.Value is not { } file)
        {
            page.Response.StatusCode = StatusCodes.Status404NotFound;
            return page.Page();
        }
        page.Response.Headers.ContentDisposition = Attachment.ContentDisposition(file.FileName);
        page.Response.Headers.ContentSecurityPolicy = "sandbox";
        return page.File(file.Content, file.ContentType);
    }
}
