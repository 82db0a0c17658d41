using System.Net;
using OpenData.Tests.Auth;
using OpenData.Tests.Catalogue;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Catalogue.BilingualHosts;

namespace OpenData.Tests.Portal;

/// <summary>
/// Datasets' titles and descriptions on the portal's pages: in the page's language when the catalogue has it, otherwise in the
/// other language, marked with its <c>lang</c> so that a screen reader reads a Chinese title on an English page as Chinese.
/// </summary>
public sealed class BilingualPagesTests(BilingualHosts hosts) : IClassFixture<BilingualHosts>
{
    private const string VillagesZh = "宁波市村级行政区划（社区、行政村）";
    private const string VillagesEn = "Villages and communities of Ningbo";

    /// <summary>A browser that has switched the portal to English through the language form.</summary>
    private static async Task<HttpClient> EnglishBrowserAsync(PlatformHost host)
    {
        var browser = OAuthFlows.Browser(host);
        await SwitchToEnglishAsync(browser);
        return browser;
    }

    internal static async Task SwitchToEnglishAsync(HttpClient browser)
    {
        var fields = PortalPagesTests.LanguageForm(await browser.GetStringAsync("/"));
        Assert.Equal("en", fields["culture"]);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/language", new FormUrlEncodedContent(fields))).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_villages_dataset_shows_its_english_title_in_english_and_its_chinese_title_in_chinese(string db)
    {
        var host = await hosts.GetAsync(db);
        using var chinese = OAuthFlows.Browser(host);
        using var english = await EnglishBrowserAsync(host);

        var zh = await chinese.GetStringAsync("/datasets/ningbo-villages");
        Assert.Contains($"<title>{VillagesZh} · ", zh, StringComparison.Ordinal);
        Assert.Contains($"<h1 class=\"h2\">{VillagesZh}</h1>", zh, StringComparison.Ordinal);
        Assert.Contains("<p class=\"lead description\">宁波市的社区和行政村", zh, StringComparison.Ordinal);
        Assert.DoesNotContain(VillagesEn, zh, StringComparison.Ordinal);

        var en = await english.GetStringAsync("/datasets/ningbo-villages");
        Assert.Contains("<html lang=\"en\">", en, StringComparison.Ordinal);
        Assert.Contains($"<title>{VillagesEn} · ", en, StringComparison.Ordinal);
        Assert.Contains($"aria-current=\"page\">{VillagesEn}</li>", en, StringComparison.Ordinal);
        Assert.Contains($"<h1 class=\"h2\">{VillagesEn}</h1>", en, StringComparison.Ordinal);
        Assert.Contains("<p class=\"lead description\">Villages and communities of Ningbo with the codes", en, StringComparison.Ordinal);
        Assert.DoesNotContain(VillagesZh, en, StringComparison.Ordinal);

        // The catalogue's cards follow, and the home page's recently updated ones.
        var catalogue = await english.GetStringAsync("/datasets?q=ningbo");
        Assert.Contains($"href=\"/datasets/ningbo-villages\">{VillagesEn}</a>", catalogue, StringComparison.Ordinal);
        Assert.DoesNotContain(VillagesZh, catalogue, StringComparison.Ordinal);
        Assert.Contains($"href=\"/datasets/ningbo-villages\">{VillagesZh}</a>", await chinese.GetStringAsync("/datasets?q=ningbo"), StringComparison.Ordinal);
        var home = await english.GetStringAsync("/");
        Assert.Contains($"href=\"/datasets/{Both}\">{BothTitleEn}</a>", home, StringComparison.Ordinal);
        Assert.Contains($"href=\"/datasets/{ChineseOnly}\" lang=\"zh-CN\">{ChineseOnlyTitle}</a>", home, StringComparison.Ordinal);
        Assert.Contains($"href=\"/datasets/{Both}\">{BothTitle}</a>", await chinese.GetStringAsync("/"), StringComparison.Ordinal);
        var card = await english.GetStringAsync("/datasets?q=" + Uri.EscapeDataString("gantry"));
        Assert.Contains($">{BothTitleEn}</a>", card, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"mb-1 description\">{BothDescriptionEn}</p>", card, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Text_shown_in_the_other_language_carries_its_lang(string db)
    {
        var host = await hosts.GetAsync(db);
        using var chinese = OAuthFlows.Browser(host);
        using var english = await EnglishBrowserAsync(host);

        // No English: the English page shows the Chinese, marked as Chinese.
        var en = await english.GetStringAsync($"/datasets/{ChineseOnly}");
        Assert.Contains($"<h1 class=\"h2\" lang=\"zh-CN\">{ChineseOnlyTitle}</h1>", en, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"lead description\" lang=\"zh-CN\">{ChineseOnlyDescription}</p>", en, StringComparison.Ordinal);
        Assert.Contains($"aria-current=\"page\" lang=\"zh-CN\">{ChineseOnlyTitle}</li>", en, StringComparison.Ordinal);
        var cards = await english.GetStringAsync("/datasets?q=" + Uri.EscapeDataString(ChineseOnlyTitle));
        Assert.Contains($"href=\"/datasets/{ChineseOnly}\" lang=\"zh-CN\">{ChineseOnlyTitle}</a>", cards, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"mb-1 description\" lang=\"zh-CN\">{ChineseOnlyDescription}</p>", cards, StringComparison.Ordinal);

        // On the Chinese page the same text is the page's own language: no lang of its own.
        var zh = await chinese.GetStringAsync($"/datasets/{ChineseOnly}");
        Assert.Contains($"<h1 class=\"h2\">{ChineseOnlyTitle}</h1>", zh, StringComparison.Ordinal);

        // A description only in English: the Chinese page shows it marked English; the English page plainly, beside the Chinese title.
        var described = await chinese.GetStringAsync($"/datasets/{EnglishDescription}");
        Assert.Contains($"<p class=\"lead description\" lang=\"en\">{EnglishDescriptionText}</p>", described, StringComparison.Ordinal);
        var describedEn = await english.GetStringAsync($"/datasets/{EnglishDescription}");
        Assert.Contains($"<p class=\"lead description\">{EnglishDescriptionText}</p>", describedEn, StringComparison.Ordinal);
        Assert.Contains($"<h1 class=\"h2\" lang=\"zh-CN\">{EnglishDescriptionTitle}</h1>", describedEn, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_try_it_consoles_dataset_list_and_the_access_request_page_follow_the_language(string db)
    {
        var host = await hosts.GetAsync(db);
        using var browser = OAuthFlows.Browser(host);
        await ConsoleTests.SignUpAsync(browser, "双语公司", "钱七", $"bilingual-{db}@example.test");
        await ConsoleTests.CreateAppAsync(browser, "双语应用");
        await SwitchToEnglishAsync(browser);

        var tryIt = await browser.GetStringAsync("/console/try?dataset=ningbo-villages");
        Assert.Matches($"value=\"ningbo-villages\" selected[^>]*>{VillagesEn} \\(", tryIt);
        Assert.Contains($"value=\"{ChineseOnly}\" lang=\"zh-CN\">{ChineseOnlyTitle} (", tryIt, StringComparison.Ordinal);

        var request = await browser.GetStringAsync("/console/requests/new?datasetId=hotline-12345-requests");
        Assert.Contains(">Requests to the 12345 government service hotline</a>", request, StringComparison.Ordinal);
        Assert.DoesNotContain("12345政务服务热线诉求工单", request, StringComparison.Ordinal);
    }
}
