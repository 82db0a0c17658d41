namespace OpenData.Platform.Analytics.Jobs;

/// <summary>The states of an analysis job: queued, running, awaiting_review (checked outputs wait for the owner), then released or rejected; failed with a reason.</summary>
internal static class AnalysisJobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string AwaitingReview = "awaiting_review";
    public const string Released = "released";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
}

/// <summary>One declared aggregate query of a job: <c>groupBy</c> columns, <c>measures</c> (count, sum(col), avg(col)), an optional <c>where</c>.</summary>
internal sealed record AnalysisJobQuery(IReadOnlyList<string>? GroupBy, IReadOnlyList<string>? Measures, string? Where);

/// <summary>The body of <c>POST /v1/analysis-jobs</c>.</summary>
internal sealed record AnalysisJobSubmission(string? DatasetId, IReadOnlyList<AnalysisJobQuery?>? Queries);

/// <summary>The owner's decision: <c>release</c> (optionally withholding some outputs by query index) or <c>reject</c>, with a reason.</summary>
internal sealed record AnalysisJobDecision(string? Decision, string? Reason, IReadOnlyList<int>? Withhold);

/// <summary>The checked output of one query: its groups after the automatic checks, and how many cells the checks suppressed.</summary>
internal sealed record AnalysisJobOutput(int Query, IReadOnlyList<IReadOnlyDictionary<string, object?>> Groups, int Suppressed);

/// <summary>
/// A job as one caller sees it. The requester gets <see cref="Outputs"/> only once released (minus the withheld ones), never before and
/// never after a rejection; the reviewer (the dataset's owner) gets the checked outputs and what the checks suppressed. <see cref="Tenant"/>
/// is the requesting tenant (the owner sees who asked).
/// </summary>
internal sealed record AnalysisJobView(string Id, string DatasetId, string Tenant, string Status, IReadOnlyList<AnalysisJobQuery> Queries, DateTimeOffset CreatedAt,
    string? Failure, string? Reason, IReadOnlyList<int>? Withheld, DateTimeOffset? DecidedAt, IReadOnlyList<AnalysisJobOutput>? Outputs);

/// <summary>The answer of a submission: 202 with the id and status queued.</summary>
internal sealed record AnalysisJobAccepted(string Id, string Status);
