namespace OpenData.Sandbox.Contests;

/// <summary>A contest's phase, from its dates and the clock (and whether its results are out).</summary>
internal static class ContestPhases
{
    public const string Upcoming = "upcoming";
    public const string Registration = "registration";
    public const string Build = "build";
    public const string Judging = "judging";
    public const string Results = "results";

    public static readonly IReadOnlyList<string> All = [Upcoming, Registration, Build, Judging, Results];

    public static string Of(ContestRow contest, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(contest);
        if (contest.ResultsPublishedAt is not null)
        {
            return Results;
        }
        if (now < contest.StartsAt)
        {
            return Upcoming;
        }
        if (now < contest.RegistrationEndsAt)
        {
            return Registration;
        }
        return now < contest.SubmissionEndsAt ? Build : Judging;
    }

    /// <summary>Whether teams may register or change their members and name now.</summary>
    public static bool RegistrationOpen(ContestRow contest, DateTimeOffset now) =>
        contest.ResultsPublishedAt is null && now >= contest.StartsAt && now < contest.RegistrationEndsAt;

    /// <summary>Whether teams may submit (a new version) now: from the start until the submission deadline.</summary>
    public static bool SubmissionOpen(ContestRow contest, DateTimeOffset now) =>
        contest.ResultsPublishedAt is null && now >= contest.StartsAt && now < contest.SubmissionEndsAt;
}
