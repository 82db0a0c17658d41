using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Contests;

/// <summary>
/// One phase of a contest's timeline as its page shows it: from when until when (null where the phase has no end date, as the
/// judging until the organiser publishes), whether it is the phase now and whether it is over.
/// </summary>
internal sealed record ContestStep(string Phase, DateTimeOffset? From, DateTimeOffset? Until, bool Current, bool Over)
{
    /// <summary>The five phases of <paramref name="contest"/> in order, the current one marked.</summary>
    public static IReadOnlyList<ContestStep> Timeline(Contest contest)
    {
        ArgumentNullException.ThrowIfNull(contest);
        var now = ContestPhases.All.ToList().IndexOf(contest.Phase);
        var steps = new (string Phase, DateTimeOffset? From, DateTimeOffset? Until)[]
        {
            (ContestPhases.Upcoming, null, contest.StartsAt),
            (ContestPhases.Registration, contest.StartsAt, contest.RegistrationEndsAt),
            (ContestPhases.Build, contest.RegistrationEndsAt, contest.SubmissionEndsAt),
            (ContestPhases.Judging, contest.SubmissionEndsAt, contest.ResultsPublishedAt ?? contest.JudgingEndsAt),
            (ContestPhases.Results, contest.ResultsPublishedAt, null),
        };
        return steps.Select((s, i) => new ContestStep(s.Phase, s.From, s.Until, i == now, i < now)).ToList();
    }
}
