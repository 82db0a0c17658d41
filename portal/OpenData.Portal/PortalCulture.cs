using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Localization;

namespace OpenData.Portal;

/// <summary>
/// The portal's languages: Chinese (zh-CN) for everyone, English for whoever switches to it. The choice lives in a cookie only;
/// the browser's Accept-Language is not consulted, so a city's portal opens in Chinese whatever the visitor's browser says.
/// </summary>
public static class PortalCulture
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    /// <summary>The cookie holding the visitor's choice, in ASP.NET Core's format (<c>c=en|uic=en</c>).</summary>
    public const string CookieName = "opendata_culture";

    private static readonly CultureInfo[] Supported = [CultureInfo.GetCultureInfo(Chinese), CultureInfo.GetCultureInfo(English)];

    /// <summary>Whether <paramref name="name"/> is one of the portal's languages.</summary>
    public static bool IsSupported(string? name) => name is Chinese or English;

    /// <summary>Whether the current request is served in Chinese.</summary>
    public static bool IsChinese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh";

    /// <summary>Chinese or English text of something the catalogue holds in both (organisation and theme names, dataset titles).</summary>
    public static string Pick(string chinese, string? english) => Text(chinese, english).Text;

    /// <summary>
    /// The text of <paramref name="chinese"/> and <paramref name="english"/> (either may be missing) in the page's language when
    /// the catalogue has it, else in the other language, marked with that language so that a screen reader pronounces it right.
    /// </summary>
    public static ShownText Text(string chinese, string? english)
    {
        var hasEnglish = !string.IsNullOrEmpty(english);
        if (IsChinese)
        {
            return chinese.Length > 0 || !hasEnglish ? new ShownText(chinese, null) : new ShownText(english!, English);
        }
        return hasEnglish ? new ShownText(english!, null) : new ShownText(chinese, chinese.Length > 0 ? Chinese : null);
    }

    /// <summary>The cookie value that selects <paramref name="culture"/>.</summary>
    public static string CookieValue(string culture) => CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture));

    public static RequestLocalizationOptions Options()
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Chinese),
            SupportedCultures = Supported,
            SupportedUICultures = Supported,
            FallBackToParentCultures = false,
            FallBackToParentUICultures = false,
        };
        options.RequestCultureProviders.Clear();
        options.RequestCultureProviders.Add(new CookieRequestCultureProvider { CookieName = CookieName });
        return options;
    }
}
