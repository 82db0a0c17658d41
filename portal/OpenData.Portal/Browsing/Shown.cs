using System.Globalization;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Datasets;

namespace OpenData.Portal.Browsing;

/// <summary>How the portal writes numbers, dates and cells for people, in the request's culture.</summary>
internal static class Shown
{
    /// <summary>The platform's day is China Standard Time (as quotas count it); dates are shown in it.</summary>
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public static string Date(DateTimeOffset value, IStringLocalizer text) =>
        value.ToOffset(ChinaStandardTime).ToString(text["Format.Date"], CultureInfo.CurrentCulture);

    public static string DateTime(DateTimeOffset value, IStringLocalizer text) =>
        value.ToOffset(ChinaStandardTime).ToString(text["Format.DateTime"], CultureInfo.CurrentCulture);

    /// <summary>The localised name of a value the catalogue holds as free text (an update frequency), or the value itself.</summary>
    public static string Named(IStringLocalizer text, string prefix, string value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var named = text[prefix + value];
        return named.ResourceNotFound ? value : named.Value;
    }

    /// <summary>A cell as the API writes it (ISO dates, invariant numbers), so what the preview shows is what a query returns.</summary>
    public static string? Cell(object? value) => CellFormat.Text(value);
}
