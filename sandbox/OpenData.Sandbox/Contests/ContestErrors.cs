using OpenData.Platform.Common;

namespace OpenData.Sandbox.Contests;

/// <summary>Error codes of contests: the contest itself (teams, submissions and judging have theirs beside their code).</summary>
internal static class ContestErrors
{
    [ErrorCode(404, "no contest has this id")]
    public const string NotFound = "contest.not_found";

    [ErrorCode(409, "a contest with this id exists already: choose another id")]
    public const string Exists = "contest.exists";

    [ErrorCode(409, "the contest changed since you read it (another organiser edited it): read it again and repeat the change")]
    public const string Conflict = "contest.conflict";

    [ErrorCode(409, "the contest's results are published: it can no longer change")]
    public const string ResultsPublished = "contest.results_final";

    [ErrorCode(409, "judges have scored this contest: its rubric can no longer change")]
    public const string RubricLocked = "contest.rubric_locked";
}
