using OpenData.Sandbox.Contests;

namespace OpenData.Portal.Contests;

/// <summary>A contest's title and description in the page's language where the organiser wrote an English one, else in Chinese.</summary>
internal static class ContestText
{
    public static ShownText ShownTitle(this Contest contest)
    {
        ArgumentNullException.ThrowIfNull(contest);
        return PortalCulture.Text(contest.Title, contest.TitleEn);
    }

    public static ShownText ShownDescription(this Contest contest)
    {
        ArgumentNullException.ThrowIfNull(contest);
        return PortalCulture.Text(contest.Description, contest.DescriptionEn);
    }
}
