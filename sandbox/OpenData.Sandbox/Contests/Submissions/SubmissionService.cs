using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using OpenData.Platform.Audit;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// Submissions: an approved team submits from the contest's start until its submission deadline (on the platform's clock); each
/// submission is a new version, the highest is judged, the older stay visible to the organiser for disputes. One attachment per
/// version, a PDF of at most 20 MB uploaded first and stored by the platform after a check of its content.
/// </summary>
internal sealed class SubmissionService(ContestStore contests, TeamStore teams, SubmissionStore submissions, TimeProvider clock)
{
    public const long MaxAttachmentBytes = 20L * 1024 * 1024;

    /// <summary>Names whose presence marks a PDF with active content (scripts, launch actions, embedded files): refused.</summary>
    private static readonly string[] ActiveContent = ["/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/RichMedia", "/XFA"];

    public async Task<Outcome<SubmissionAttachment>> UploadAsync(ClaimsPrincipal user, string contestId, string teamId, string? fileName, Stream content,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var open = await OpenTeamAsync(user, contestId, teamId, cancellationToken);
        if (open.Refusal is { } refusal)
        {
            return refusal;
        }
        var (_, team) = open.Value;
        var bytes = await ReadAtMostAsync(content, MaxAttachmentBytes, cancellationToken);
        if (bytes is null)
        {
            return new Refusal(413, SubmissionErrors.TooLarge, $"an attachment is at most {MaxAttachmentBytes / (1024 * 1024)} MB: make the PDF smaller");
        }
        if (Scan(bytes) is { } problem)
        {
            return new Refusal(415, SubmissionErrors.NotPdf, problem);
        }
        var name = string.IsNullOrWhiteSpace(fileName) ? "submission.pdf" : Path.GetFileName(fileName.Trim());
        if (!name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
        {
            name += ".pdf";
        }
        var row = new AttachmentRow
        {
            Id = SubmissionStore.NewId("att_"),
            ContestId = contestId,
            TeamId = team.Id,
            FileName = name.Length > 200 ? name[^200..] : name,
            ContentType = "application/pdf",
            Size = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            UploadedBy = user.Actor(),
            UploadedAt = clock.GetUtcNow(),
        };
        await submissions.InsertAttachmentAsync(row, bytes, new AuditEvent("contest.attachment_uploaded", user.TenantId(), user.Actor(), null, null, team.Id,
            AuditDetails.Of(("contest", contestId), ("team", team.Id), ("attachment", row.Id), ("size", row.Size), ("sha256", row.Sha256))), cancellationToken);
        return row.ToAttachment();
    }

    public async Task<Outcome<Submission>> SubmitAsync(ClaimsPrincipal user, string contestId, NewSubmission? body, CancellationToken cancellationToken)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.TeamId))
        {
            return Refusal.BadRequest(CommonErrors.Validation,
                "send the submission as JSON: {teamId, title, description, url, repositoryUrl?, datasets?: [id, …], attachmentId?}");
        }
        var open = await OpenTeamAsync(user, contestId, body.TeamId, cancellationToken);
        if (open.Refusal is { } refusal)
        {
            return refusal;
        }
        var (contest, team) = open.Value;
        var errors = new InputErrors();
        var title = body.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 200)
        {
            errors.Add("title", "title is 1 to 200 characters");
        }
        var description = body.Description?.Trim();
        if (string.IsNullOrEmpty(description) || description.Length > 20_000)
        {
            errors.Add("description", "description is 1 to 20,000 characters");
        }
        var url = WebAddress(body.Url, "url", required: true, errors);
        var repository = WebAddress(body.RepositoryUrl, "repositoryUrl", required: false, errors);
        var datasets = (body.Datasets ?? []).Select(d => d?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        var outside = datasets.Where(d => !contest.DatasetList.Contains(d, StringComparer.Ordinal)).ToList();
        if (outside.Count > 0)
        {
            errors.Add("datasets", $"the datasets used are among the contest's ({string.Join(", ", contest.DatasetList)}); not {string.Join(", ", outside)}");
        }
        AttachmentRow? attachment = null;
        if (!string.IsNullOrWhiteSpace(body.AttachmentId))
        {
            attachment = await submissions.FindAttachmentAsync(contestId, body.AttachmentId.Trim(), cancellationToken);
            if (attachment is null || attachment.TeamId != team.Id)
            {
                errors.Add("attachmentId", $"the team has no attachment '{body.AttachmentId}': upload the PDF with POST /v1/contests/{contestId}/teams/{team.Id}/attachments");
            }
        }
        if (errors.Count > 0)
        {
            return errors.ToRefusal();
        }
        var row = new SubmissionRow
        {
            Id = SubmissionStore.NewId("sub_"),
            ContestId = contestId,
            TeamId = team.Id,
            Title = title!,
            Description = description!,
            DemoUrl = url,
            RepositoryUrl = repository,
            Datasets = ContestRow.ToJson(datasets),
            AttachmentId = attachment?.Id,
            SubmittedBy = user.Actor(),
            SubmittedAt = clock.GetUtcNow(),
        };
        await submissions.InsertAsync(row, version => new AuditEvent("contest.submitted", user.TenantId(), user.Actor(), null, null, team.Id,
            AuditDetails.Of(("contest", contestId), ("team", team.Id), ("submission", row.Id), ("version", version), ("datasets", datasets), ("attachment", attachment?.Id))),
            cancellationToken);
        return ToSubmission(row, team.Name, current: true, attachment);
    }

    /// <summary>Every version of the contest's submissions for the organiser; the caller's own teams' versions otherwise.</summary>
    public async Task<Outcome<SubmissionList>> ListAsync(ClaimsPrincipal user, string contestId, string? teamId, CancellationToken cancellationToken)
    {
        if (await contests.FindAsync(contestId, cancellationToken) is null)
        {
            return ContestService.NotFound(contestId);
        }
        var organiser = user.HasScope(Scopes.PlatformAdmin);
        var visible = (await teams.ListAsync(contestId, organiser ? null : user.TenantId() ?? "", cancellationToken)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var rows = (await submissions.ListAsync(contestId, teamId, cancellationToken)).Where(r => visible.ContainsKey(r.TeamId)).ToList();
        var attachments = rows.Any(r => r.AttachmentId is not null) ? await submissions.AttachmentsAsync(contestId, cancellationToken) : new Dictionary<string, AttachmentRow>();
        var latest = rows.GroupBy(r => r.TeamId).ToDictionary(g => g.Key, g => g.Max(r => r.Version), StringComparer.Ordinal);
        return new SubmissionList(rows.Select(r => ToSubmission(r, visible[r.TeamId].Name, latest[r.TeamId] == r.Version,
            r.AttachmentId is { } a ? attachments.GetValueOrDefault(a) : null)).ToList());
    }

    /// <summary>An attachment's bytes for the organiser or the team that uploaded it (judges read theirs through judging).</summary>
    public async Task<Outcome<AttachmentContent>> DownloadAsync(ClaimsPrincipal user, string contestId, string attachmentId, CancellationToken cancellationToken)
    {
        var attachment = await submissions.FindAttachmentAsync(contestId, attachmentId, cancellationToken);
        var team = attachment is null ? null : await teams.FindAsync(contestId, attachment.TeamId, cancellationToken);
        if (attachment is null || team is null || !(user.HasScope(Scopes.PlatformAdmin) || team.TenantId == user.TenantId()))
        {
            return AttachmentNotFound(contestId, attachmentId);
        }
        return await ContentAsync(attachment, attachment.FileName, cancellationToken);
    }

    /// <summary>The bytes of an attachment under the given file name (a judge's is blind), or 404 when they are gone.</summary>
    public async Task<Outcome<AttachmentContent>> ContentAsync(AttachmentRow attachment, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var bytes = await submissions.AttachmentContentAsync(attachment.Id, cancellationToken);
        return bytes is null ? AttachmentNotFound(attachment.ContestId, attachment.Id) : new AttachmentContent(fileName, attachment.ContentType, bytes);
    }

    public static Refusal AttachmentNotFound(string contestId, string attachmentId) =>
        Refusal.NotFound(SubmissionErrors.AttachmentNotFound, $"contest '{contestId}' has no attachment '{attachmentId}' you may read");

    /// <summary>Why the bytes are not an acceptable PDF, or null when they are.</summary>
    internal static string? Scan(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        // The header may follow up to 1 KB of junk (as readers allow); the type is what the content says, not the name.
        var head = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 1024));
        var start = head.IndexOf("%PDF-", StringComparison.Ordinal);
        if (start < 0)
        {
            return "the attachment is not a PDF (its content does not start with %PDF-): submit your slides or report as PDF";
        }
        var tail = Encoding.ASCII.GetString(bytes, Math.Max(0, bytes.Length - 2048), Math.Min(bytes.Length, 2048));
        if (!tail.Contains("%%EOF", StringComparison.Ordinal))
        {
            return "the PDF is cut short (no %%EOF at its end): upload the whole file";
        }
        var text = Encoding.Latin1.GetString(bytes);
        foreach (var name in ActiveContent)
        {
            var at = text.IndexOf(name, StringComparison.Ordinal);
            while (at >= 0)
            {
                var next = at + name.Length;
                // A whole PDF name: the next character ends it (so /JS is not /JSON, /JavaScript not /JavaScriptish).
                if (next >= text.Length || !char.IsAsciiLetterOrDigit(text[next]))
                {
                    return $"the PDF holds active content ({name}): export it again without scripts, actions or embedded files";
                }
                at = text.IndexOf(name, next, StringComparison.Ordinal);
            }
        }
        return null;
    }

    private async Task<Outcome<(ContestRow Contest, TeamRow Team)>> OpenTeamAsync(ClaimsPrincipal user, string contestId, string teamId, CancellationToken cancellationToken)
    {
        var contest = await contests.FindAsync(contestId, cancellationToken);
        if (contest is null)
        {
            return ContestService.NotFound(contestId);
        }
        var team = await teams.FindAsync(contestId, teamId, cancellationToken);
        if (team is null || team.TenantId != user.TenantId())
        {
            return TeamService.TeamNotFound(contestId, teamId);
        }
        if (team.Status != TeamService.Approved)
        {
            return Refusal.Conflict(TeamErrors.NotApproved, $"team '{teamId}' is {team.Status}: only an approved team submits");
        }
        var now = clock.GetUtcNow();
        if (!ContestPhases.SubmissionOpen(contest, now))
        {
            return Refusal.Conflict(SubmissionErrors.Closed, now < contest.StartsAt
                ? $"submissions to '{contestId}' open at {contest.StartsAt:u}"
                : $"submissions to '{contestId}' closed at {contest.SubmissionEndsAt:u} (the deadline); the contest is in its {ContestPhases.Of(contest, now)} phase");
        }
        return (contest, team);
    }

    private static string? WebAddress(string? raw, string field, bool required, InputErrors errors)
    {
        var value = raw?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(field, $"{field} is the address where judges see the app (an http or https URL)");
            }
            return null;
        }
        if (value.Length > 2000 || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add(field, $"{field} is an absolute http or https URL (without a user name or password)");
            return null;
        }
        return uri.ToString();
    }

    /// <summary>Reads the whole stream if it holds at most <paramref name="max"/> bytes; null when it holds more.</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream content, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static Submission ToSubmission(SubmissionRow row, string teamName, bool current, AttachmentRow? attachment) => new(
        row.Id, row.ContestId, row.TeamId, teamName, row.Version, current, row.Title, row.Description, row.DemoUrl, row.RepositoryUrl, row.DatasetList,
        attachment?.ToAttachment(), row.SubmittedAt);
}
