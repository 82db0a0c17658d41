using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;

namespace OpenData.Sandbox.Contests;

/// <summary>Submissions and their attachments: <c>/v1/contests/{id}/submissions</c>, <c>…/teams/{teamId}/attachments</c>, <c>…/attachments/{attachmentId}</c>.</summary>
internal static class SubmissionEndpoints
{
    public static RouteGroupBuilder MapSubmissionRoutes(this RouteGroupBuilder group)
    {
        group.MapPost("/contests/{id}/teams/{teamId}/attachments", Upload).WithName("UploadContestAttachment").RequireAuthorization()
            .Accepts<byte[]>("application/pdf").LiveOnly("submitting to a contest")
            .Refuses(ContestErrors.NotFound, TeamErrors.NotFound, TeamErrors.NotApproved, SubmissionErrors.Closed, SubmissionErrors.NotPdf, SubmissionErrors.TooLarge)
            .WithSummary("Upload the PDF of a submission (the team's tenant): the request body is the file, at most 20 MB; `?name=` names it.")
            .WithDescription("The content is checked, not its name or type: it must be a whole PDF (`%PDF-` … `%%EOF`) without scripts, launch "
                + "actions or embedded files. The answer's `id` goes in the submission's `attachmentId`.");
        group.MapPost("/contests/{id}/submissions", Submit).WithName("SubmitToContest").RequireAuthorization().LiveOnly("submitting to a contest")
            .Refuses(CommonErrors.Validation, ContestErrors.NotFound, TeamErrors.NotFound, TeamErrors.NotApproved, SubmissionErrors.Closed)
            .WithSummary("Submit (a new version of) a team's app, until the submission deadline: `{teamId, title, description, url, repositoryUrl?, datasets[]?, attachmentId?}`.")
            .WithDescription("Each submission is a new version; the highest is the one judged, the older stay visible to the organiser. After "
                + "`submissionEndsAt` (on the platform's clock) the answer is 409 `contest.submission_closed`.");
        group.MapGet("/contests/{id}/submissions", List).WithName("ListContestSubmissions").RequireAuthorization()
            .Refuses(ContestErrors.NotFound)
            .WithSummary("Submissions: every version of every team for the organiser, the caller's teams' own otherwise; `?teamId=` narrows.");
        group.MapGet("/contests/{id}/attachments/{attachmentId}", Download).WithName("DownloadContestAttachment").RequireAuthorization()
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .Refuses(SubmissionErrors.AttachmentNotFound)
            .WithSummary("An attachment's PDF, for the organiser and the team that uploaded it.");
        return group;
    }

    internal static async Task<Results<Created<SubmissionAttachment>, ProblemHttpResult>> Upload(
        string id, string teamId, string? name, HttpContext context, SubmissionService submissions, CancellationToken cancellationToken)
    {
        var size = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (size is { IsReadOnly: false })
        {
            size.MaxRequestBodySize = SubmissionService.MaxAttachmentBytes + 1;
        }
        if (context.Request.ContentLength > SubmissionService.MaxAttachmentBytes)
        {
            return Problems.From(new Refusal(413, SubmissionErrors.TooLarge, "an attachment is at most 20 MB: make the PDF smaller"));
        }
        Outcome<SubmissionAttachment> outcome;
        try
        {
            outcome = await submissions.UploadAsync(context.User, id, teamId, name, context.Request.Body, cancellationToken);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.From(new Refusal(413, SubmissionErrors.TooLarge, "an attachment is at most 20 MB: make the PDF smaller"));
        }
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(context.Request)}/v1/contests/{id}/attachments/{outcome.Value!.Id}", outcome.Value);
    }

    internal static async Task<Results<Created<Submission>, ProblemHttpResult>> Submit(
        string id, NewSubmission? body, ClaimsPrincipal user, SubmissionService submissions, HttpRequest request, CancellationToken cancellationToken)
    {
        var outcome = await submissions.SubmitAsync(user, id, body, cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.From(refusal)
            : TypedResults.Created($"{PublicUrl.Base(request)}/v1/contests/{id}/submissions?teamId={outcome.Value!.TeamId}", outcome.Value);
    }

    internal static async Task<Results<Ok<SubmissionList>, ProblemHttpResult>> List(
        string id, string? teamId, ClaimsPrincipal user, SubmissionService submissions, CancellationToken cancellationToken) =>
        TeamEndpoints.Answer(await submissions.ListAsync(user, id, teamId, cancellationToken));

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Download(
        string id, string attachmentId, ClaimsPrincipal user, SubmissionService submissions, HttpResponse response, CancellationToken cancellationToken)
    {
        var outcome = await submissions.DownloadAsync(user, id, attachmentId, cancellationToken);
        return File(outcome, response);
    }

    /// <summary>A PDF answered as a download (never rendered in the platform's origin).</summary>
    internal static Results<FileContentHttpResult, ProblemHttpResult> File(Outcome<AttachmentContent> outcome, HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (outcome.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        var file = outcome.Value!;
        response.Headers.ContentDisposition = Attachment.ContentDisposition(file.FileName);
        response.Headers["Content-Security-Policy"] = "sandbox";
        return TypedResults.File(file.Content, file.ContentType);
    }
}
