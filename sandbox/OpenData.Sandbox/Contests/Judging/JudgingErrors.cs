using OpenData.Platform.Common;

namespace OpenData.Sandbox.Contests;

/// <summary>Error codes of judging: judges, blind entries and scores.</summary>
internal static class JudgingErrors
{
    [ErrorCode(404, "no member of any tenant has this e-mail: a judge is a person with an account on the platform")]
    public const string PersonNotFound = "contest.person_not_found";

    [ErrorCode(404, "no judge of this contest has this id")]
    public const string JudgeNotFound = "contest.judge_not_found";

    [ErrorCode(403, "the caller is not a judge of this contest (judging is done by a person named by the organiser, signed in or with a token an app obtained for them; an app's own token is no judge)")]
    public const string NotAJudge = "contest.not_a_judge";

    [ErrorCode(409, "judging is not open: entries are scored from the submission deadline until the results are published")]
    public const string JudgingNotOpen = "contest.judging_not_open";

    [ErrorCode(404, "no entry with this code is one the judge may see")]
    public const string EntryNotFound = "contest.entry_not_found";
}
