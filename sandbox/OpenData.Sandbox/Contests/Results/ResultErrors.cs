using OpenData.Platform.Common;

namespace OpenData.Sandbox.Contests;

/// <summary>Error codes of results, the leaderboard, the showcase and taking a winning app live.</summary>
internal static class ResultErrors
{
    [ErrorCode(409, "the contest's results are not published yet: the leaderboard and showcase appear when the organiser publishes them")]
    public const string NotPublished = "contest.results_not_published";

    [ErrorCode(409, "the team has no award in this contest: only a winning team takes its app live through the contest")]
    public const string NoAward = "contest.no_award";
}
