using OpenData.Platform.Common;

namespace OpenData.Sandbox.Contests;

/// <summary>Error codes of submissions and their attachments.</summary>
internal static class SubmissionErrors
{
    [ErrorCode(409, "submissions are not open now (before the contest starts, or after its submission deadline): the detail gives the deadline")]
    public const string Closed = "contest.submission_closed";

    [ErrorCode(415, "an attachment is a PDF (the content is checked, not only its name or type), without scripts, launch actions or embedded files")]
    public const string NotPdf = "contest.attachment_not_pdf";

    [ErrorCode(413, "an attachment is at most 20 MB")]
    public const string TooLarge = "contest.attachment_too_large";

    [ErrorCode(404, "no attachment of this contest has this id that the caller may read")]
    public const string AttachmentNotFound = "contest.attachment_not_found";
}
