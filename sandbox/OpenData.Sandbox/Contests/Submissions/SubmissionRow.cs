using System.Text.Json;

namespace OpenData.Sandbox.Contests;

/// <summary>A row of <c>contest_submissions</c>.</summary>
internal sealed class SubmissionRow
{
    public string Id { get; set; } = "";
    public string ContestId { get; set; } = "";
    public string TeamId { get; set; } = "";
    public int Version { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string? DemoUrl { get; set; }
    public string? RepositoryUrl { get; set; }
    public string Datasets { get; set; } = "[]";
    public string? AttachmentId { get; set; }
    public string? SubmittedBy { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }

    public IReadOnlyList<string> DatasetList => JsonSerializer.Deserialize<List<string>>(Datasets) ?? [];
}

/// <summary>A row of <c>contest_attachments</c> without its content.</summary>
internal sealed class AttachmentRow
{
    public string Id { get; set; } = "";
    public string ContestId { get; set; } = "";
    public string TeamId { get; set; } = "";
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string? UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }

    public SubmissionAttachment ToAttachment() => new(Id, FileName, Size, Sha256, UploadedAt);
}
