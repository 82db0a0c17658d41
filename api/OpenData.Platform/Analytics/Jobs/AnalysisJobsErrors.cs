using OpenData.Platform.Common;

namespace OpenData.Platform.Analytics.Jobs;

/// <summary>Error codes of analysis jobs (<c>/v1/analysis-jobs</c>).</summary>
internal static class AnalysisJobsErrors
{
    [ErrorCode(404, "no analysis job with this id that the caller submitted or reviews")]
    public const string NotFound = "analysis_job.not_found";

    [ErrorCode(403, "only the owner of the job's dataset (with datasets:write) decides an analysis job")]
    public const string NotOwner = "analysis_job.not_owner";

    [ErrorCode(409, "the analysis job is not awaiting review: it is still queued or running, failed, or was decided already (a decision is made once)")]
    public const string NotAwaitingReview = "analysis_job.not_awaiting_review";
}
