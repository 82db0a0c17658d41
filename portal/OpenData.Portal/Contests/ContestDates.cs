using System.Globalization;

namespace OpenData.Portal.Contests;

/// <summary>
/// A contest's dates in the organiser's form: a <c>datetime-local</c> input holds a time without a zone, which the portal reads
/// and writes in China Standard Time, the platform's day (as every date the portal shows).
/// </summary>
internal static class ContestDates
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private static readonly string[] Formats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    /// <summary>The input's value for <paramref name="value"/>, or empty.</summary>
    public static string Input(DateTimeOffset? value) =>
        value is { } v ? v.ToOffset(ChinaStandardTime).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : "";

    /// <summary>The instant an input names (in China Standard Time), in UTC; null when it is blank; false when it is no date.</summary>
    public static bool TryParse(string? input, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            return true;
        }
        if (DateTime.TryParseExact(input.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            // Sent as UTC: the stores keep instants (PostgreSQL's timestamptz takes no other offset).
            value = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ChinaStandardTime).ToUniversalTime();
            return true;
        }
        return false;
    }
}
