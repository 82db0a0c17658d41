using System.Net.Http.Json;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Catalogue;

/// <summary>A seeded host per database with three more datasets: one in both languages, one in Chinese only, one whose description is English only.</summary>
public sealed class BilingualHosts : SeededHosts
{
    public const string Owner = "ningbo-market-supervision";
    public const string Both = "harbour-cranes";
    public const string BothTitle = "港口起重机";
    public const string BothTitleEn = "Harbour gantry cranes";
    public const string BothDescription = "宁波舟山港的岸桥起重机";
    public const string BothDescriptionEn = "Quay cranes of the Ningbo-Zhoushan port, with their lifting capacity";
    public const string ChineseOnly = "chinese-only";
    public const string ChineseOnlyTitle = "仅有中文的数据集";
    public const string ChineseOnlyDescription = "没有英文标题和说明";
    public const string EnglishDescription = "english-description";
    public const string EnglishDescriptionTitle = "只有英文说明的数据集";
    public const string EnglishDescriptionText = "Described in English alone";

    protected override async Task PrepareAsync(PlatformHost host)
    {
        var owner = host.Owner(Owner);
        await CreateAsync(owner, Both, BothTitle, BothTitleEn, BothDescription, BothDescriptionEn);
        await CreateAsync(owner, ChineseOnly, ChineseOnlyTitle, null, ChineseOnlyDescription, null);
        await CreateAsync(owner, EnglishDescription, EnglishDescriptionTitle, null, null, EnglishDescriptionText);
    }

    private static async Task CreateAsync(HttpClient owner, string id, string title, string? titleEn, string? description, string? descriptionEn)
    {
        var response = await owner.PostAsJsonAsync("/v1/datasets", new
        {
            id, title, titleEn, description, descriptionEn,
            theme = "transport", classification = "open", license = "CC-BY-4.0", updateFrequency = "monthly",
            columns = new[] { new { name = "code", type = "string" } },
        });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
