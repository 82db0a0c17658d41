using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Catalogue.BilingualHosts;

namespace OpenData.Tests.Catalogue;

/// <summary>
/// A dataset's title and description in Chinese and English (issue 14): declared together, returned by REST and GraphQL
/// (null when absent), checked like the Chinese ones, found by the text search, and language-tagged in DCAT.
/// </summary>
public sealed class BilingualDatasetTests(BilingualHosts hosts) : IClassFixture<BilingualHosts>
{
    private static JsonObject Body(string id) => new()
    {
        ["id"] = id,
        ["title"] = "公交线路",
        ["titleEn"] = "Bus routes",
        ["description"] = "宁波市公交线路",
        ["descriptionEn"] = "Bus routes of Ningbo",
        ["theme"] = "transport",
        ["classification"] = "open",
        ["license"] = "CC-BY-4.0",
        ["updateFrequency"] = "monthly",
        ["columns"] = new JsonArray(new JsonObject { ["name"] = "route", ["type"] = "string" }),
    };

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, JsonNode body) =>
        await client.PostAsync("/v1/datasets", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private static void AssertText(JsonNode dataset, string title, string? titleEn, string description, string? descriptionEn)
    {
        var o = dataset.AsObject();
        Assert.Equal(title, o["title"]!.GetValue<string>());
        Assert.Equal(description, o["description"]!.GetValue<string>());
        // Absent English is an explicit null, not a missing property.
        Assert.True(o.ContainsKey("titleEn") && o.ContainsKey("descriptionEn"), o.ToJsonString());
        Assert.Equal(titleEn, o["titleEn"]?.GetValue<string>());
        Assert.Equal(descriptionEn, o["descriptionEn"]?.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Both_languages_are_returned_by_the_api_and_graphql_and_absent_english_is_null(string db)
    {
        var host = await hosts.GetAsync(db);
        var anonymous = host.Anonymous();

        foreach (var (id, title, titleEn, description, descriptionEn) in new[]
        {
            (Both, BothTitle, (string?)BothTitleEn, BothDescription, (string?)BothDescriptionEn),
            (ChineseOnly, ChineseOnlyTitle, null, ChineseOnlyDescription, null),
            (EnglishDescription, EnglishDescriptionTitle, null, "", EnglishDescriptionText),
        })
        {
            AssertText(await PlatformHost.ReadJsonAsync(await anonymous.GetAsync($"/v1/datasets/{id}")), title, titleEn, description, descriptionEn);
            var listed = await PlatformHost.ReadJsonAsync(await anonymous.GetAsync("/v1/datasets?limit=100"));
            AssertText(listed["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == id)!, title, titleEn, description, descriptionEn);

            var graph = (await GraphQLCalls.PostAsync(anonymous, "query ($id: ID!) { dataset(id: $id) { title titleEn description descriptionEn } }", new { id })).Ok();
            AssertText(graph["dataset"]!, title, titleEn, description, descriptionEn);
        }

        // The creation answers both languages at once, trimmed.
        var body = Body("bus-routes");
        body["titleEn"] = "  Bus routes  ";
        var created = await PlatformHost.ReadJsonAsync(await PostAsync(host.Owner(Owner), body), HttpStatusCode.Created);
        AssertText(created, "公交线路", "Bus routes", "宁波市公交线路", "Bus routes of Ningbo");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task English_that_is_blank_or_too_long_is_a_400_naming_its_field(string db)
    {
        var host = await hosts.GetAsync(db);
        var owner = host.Owner(Owner);
        var cases = new (string Field, Action<JsonObject> Break)[]
        {
            ("titleEn", b => b["titleEn"] = "   "),
            ("titleEn", b => b["titleEn"] = ""),
            ("titleEn", b => b["titleEn"] = new string('a', 201)),
            ("descriptionEn", b => b["descriptionEn"] = new string('a', 4001)),
            ("title", b => b["title"] = new string('长', 201)),
            ("description", b => b["description"] = new string('长', 4001)),
        };
        foreach (var (field, breakIt) in cases)
        {
            var body = Body("bad-english");
            breakIt(body);
            var problem = await ProblemAssert.IsProblemAsync(await PostAsync(owner, body), HttpStatusCode.BadRequest, "request.validation");
            var errors = problem["errors"]!.AsObject();
            Assert.True(errors.Count == 1 && errors.ContainsKey(field), $"{field}: {problem.ToJsonString()}");
            Assert.Contains(field, errors[field]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous().GetAsync("/v1/datasets/bad-english")).StatusCode);

        // At the limits, and with no English at all, the body is fine.
        var longest = Body("longest-english");
        longest["titleEn"] = new string('a', 200);
        longest["descriptionEn"] = new string('a', 4000);
        await PlatformHost.ReadJsonAsync(await PostAsync(owner, longest), HttpStatusCode.Created);
        var none = Body("no-english");
        none.Remove("titleEn");
        none["descriptionEn"] = null;
        AssertText(await PlatformHost.ReadJsonAsync(await PostAsync(owner, none), HttpStatusCode.Created), "公交线路", null, "宁波市公交线路", null);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_text_search_matches_the_english_title_and_description_in_the_api_and_the_portal(string db)
    {
        var host = await hosts.GetAsync(db);
        var anonymous = host.Anonymous();
        foreach (var (q, expected) in new (string, string[])[]
        {
            ("gantry", [Both]),
            ("HARBOUR GANTRY", [Both]),
            ("lifting capacity", [Both]),
            ("港口起重机", [Both]),
            ("in English alone", [EnglishDescription]),
            ("daily air quality in ningbo", ["ningbo-air-quality-daily"]),
            ("Villages and communities", ["ningbo-villages"]),
        })
        {
            var page = await PlatformHost.ReadJsonAsync(await anonymous.GetAsync("/v1/datasets?q=" + Uri.EscapeDataString(q)));
            Assert.Equal(expected, page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray());

            // The portal's catalogue (CatalogueBrowse) finds the same.
            var html = await anonymous.GetStringAsync("/datasets?q=" + Uri.EscapeDataString(q));
            foreach (var id in expected)
            {
                Assert.Contains($"href=\"/datasets/{id}\"", html, StringComparison.Ordinal);
            }
            Assert.DoesNotContain($"href=\"/datasets/{ChineseOnly}\"", html, StringComparison.Ordinal);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Dcat_tags_the_title_and_description_with_their_languages_when_both_exist(string db)
    {
        var host = await hosts.GetAsync(db);
        var catalogue = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/catalogue/dcat"));
        var datasets = catalogue["dcat:dataset"]!.AsArray().ToDictionary(d => d!["dct:identifier"]!.GetValue<string>(), d => d!);

        static Dictionary<string, string> Tagged(JsonNode? literal) =>
            literal!.AsArray().ToDictionary(l => l!["@language"]!.GetValue<string>(), l => l!["@value"]!.GetValue<string>());

        var both = datasets[Both];
        Assert.Equal(new Dictionary<string, string> { ["zh"] = BothTitle, ["en"] = BothTitleEn }, Tagged(both["dct:title"]));
        Assert.Equal(new Dictionary<string, string> { ["zh"] = BothDescription, ["en"] = BothDescriptionEn }, Tagged(both["dct:description"]));
        Assert.All(both["dcat:distribution"]!.AsArray(), d => Assert.Equal(BothTitleEn + " (" + d!["dct:format"]!.GetValue<string>() + ")", Tagged(d["dct:title"])["en"]));

        var villages = Tagged(datasets["ningbo-villages"]["dct:title"]);
        Assert.Equal("宁波市村级行政区划（社区、行政村）", villages["zh"]);
        Assert.Equal("Villages and communities of Ningbo", villages["en"]);

        // Without English the catalogue's text stays a plain literal: nothing claims a language the owner did not state.
        var chinese = datasets[ChineseOnly];
        Assert.Equal(ChineseOnlyTitle, chinese["dct:title"]!.GetValue<string>());
        Assert.Equal(ChineseOnlyDescription, chinese["dct:description"]!.GetValue<string>());
        var englishDescription = datasets[EnglishDescription];
        Assert.Equal(EnglishDescriptionTitle, englishDescription["dct:title"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, string> { ["en"] = EnglishDescriptionText }, Tagged(englishDescription["dct:description"]));
    }
}
