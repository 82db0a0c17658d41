using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Catalogue;

/// <summary>Reading the catalogue of a freshly seeded platform: search, filters, paging, metadata, organisations, themes, DCAT.</summary>
public sealed partial class CatalogueTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private const string Villages = "ningbo-villages";
    private const string AirQuality = "ningbo-air-quality-daily";
    private const string Hotline = "hotline-12345-requests";
    private const string FoodLicences = "ningbo-food-business-licences";
    private static readonly string[] AllSeeded = [Hotline, AirQuality, FoodLicences, Villages];
    private static readonly string[] Visibilities = ["clear", "masked", "pseudonymised", "generalised", "hidden"];

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9 ,.'-]*$")]
    private static partial Regex English();

    private async Task<HttpClient> AnonymousAsync(string db) => (await hosts.GetAsync(db)).Anonymous();

    private static string[] Ids(JsonNode page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();

    /// <summary>The ids of a page in ordinal order: the contract fixes what a search finds, not how it sorts.</summary>
    private static string[] SortedIds(JsonNode page) => Ids(page).Order(StringComparer.Ordinal).ToArray();

    private static async Task<string[]> SearchAsync(HttpClient client, string query)
    {
        var page = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets?" + query));
        Assert.Null(page["next"]);
        return SortedIds(page);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_catalogue_lists_the_three_seeded_datasets(string db)
    {
        var host = await hosts.GetAsync(db);
        var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets"));

        Assert.Equal(AllSeeded, SortedIds(page));
        Assert.Null(page["next"]);
        foreach (var item in page["items"]!.AsArray())
        {
            var id = item!["id"]!.GetValue<string>();
            Assert.False(string.IsNullOrWhiteSpace(item["title"]!.GetValue<string>()));
            Assert.Equal(1, item["version"]!.GetValue<int>());
            Assert.True(item["rowCount"]!.GetValue<long>() > 0, item.ToJsonString());
            var records = new Uri(item["links"]!["records"]!.GetValue<string>());
            Assert.Equal(host.BaseAddress.Authority, records.Authority);
            Assert.Equal($"/v1/datasets/{id}/records", records.AbsolutePath);
        }
        var villages = page["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == Villages)!;
        Assert.Equal(3042, villages["rowCount"]!.GetValue<long>());
        Assert.Equal("open", villages["classification"]!.GetValue<string>());
        Assert.Equal("ningbo-civil-affairs", villages["owner"]!.GetValue<string>());
        Assert.Equal("administrative-divisions", villages["theme"]!.GetValue<string>());

        // A signed-in caller sees the same catalogue.
        var signedIn = await PlatformHost.ReadJsonAsync(await host.As("ningbo-market-supervision", "catalogue:read").GetAsync("/v1/datasets"));
        Assert.Equal(AllSeeded, SortedIds(signedIn));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Text_search_matches_chinese_and_english_ignoring_case(string db)
    {
        var client = await AnonymousAsync(db);
        (string Q, string[] Expected)[] cases =
        [
            ("空气质量", [AirQuality]),
            ("宁波市", [AirQuality, FoodLicences, Villages]),
            ("热线", [Hotline]),
            ("  空气  ", [AirQuality]),
            ("citizens", [Hotline]),
            ("CITIZENS", [Hotline]),
            ("vIlLaGeS", [Villages]),
            ("Air Quality", [AirQuality]),
            ("hotline-12345", [Hotline]),
            ("no dataset says this", []),
            ("%", []),
            ("_", []),
        ];
        foreach (var (q, expected) in cases)
        {
            var found = await SearchAsync(client, "q=" + Uri.EscapeDataString(q));
            Assert.True(expected.SequenceEqual(found), $"q='{q}': expected [{string.Join(", ", expected)}], got [{string.Join(", ", found)}]");
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Theme_owner_and_classification_filter_the_catalogue(string db)
    {
        var client = await AnonymousAsync(db);
        (string Query, string[] Expected)[] cases =
        [
            ("theme=environment", [AirQuality]),
            ("theme=administrative-divisions", [Villages]),
            ("theme=public-services", [Hotline]),
            ("theme=health", []),
            ("theme=no-such-theme", []),
            ("owner=ningbo-civil-affairs", [Villages]),
            ("owner=ningbo-12345-hotline", [Hotline]),
            ("owner=ningbo-market-supervision", [FoodLicences]),
            ("owner=ningbo-big-data-bureau", []),
            ("classification=open", [AirQuality, FoodLicences, Villages]),
            ("classification=OPEN", [AirQuality, FoodLicences, Villages]),
            ("classification=restricted", [Hotline]),
            ("classification=sensitive", []),
            ("classification=open&theme=environment", [AirQuality]),
            ("q=" + Uri.EscapeDataString("宁波") + "&classification=open&owner=ningbo-civil-affairs", [Villages]),
            ("q=citizens&classification=open", []),
        ];
        foreach (var (query, expected) in cases)
        {
            var found = await SearchAsync(client, query);
            Assert.True(expected.SequenceEqual(found), $"{query}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", found)}]");
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Cursor_paging_visits_each_dataset_exactly_once(string db)
    {
        var client = await AnonymousAsync(db);
        foreach (var limit in new[] { 1, 2 })
        {
            var seen = new List<string>();
            var pages = 0;
            string? cursor = null;
            do
            {
                var url = $"/v1/datasets?limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
                var page = await PlatformHost.ReadJsonAsync(await client.GetAsync(url));
                var ids = Ids(page);
                Assert.InRange(ids.Length, 1, limit);
                seen.AddRange(ids);
                cursor = page["next"]?.GetValue<string>();
                pages++;
                Assert.True(pages <= AllSeeded.Length, "the cursor walk does not end");
            }
            while (cursor is not null);

            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Equal(AllSeeded, seen.Order(StringComparer.Ordinal));
            Assert.Equal((AllSeeded.Length + limit - 1) / limit, pages);
        }

        // Paging combines with filters.
        var first = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets?classification=open&limit=2"));
        var second = await PlatformHost.ReadJsonAsync(await client.GetAsync(
            "/v1/datasets?classification=open&limit=2&cursor=" + Uri.EscapeDataString(first["next"]!.GetValue<string>())));
        Assert.Null(second["next"]);
        Assert.Equal([AirQuality, FoodLicences, Villages], Ids(first).Concat(Ids(second)).Order(StringComparer.Ordinal));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Invalid_search_parameters_answer_400_problems(string db)
    {
        var client = await AnonymousAsync(db);
        var foreignCursor = Convert.ToBase64String(Encoding.UTF8.GetBytes("r:12")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        (string Query, string Code, string Mentions)[] cases =
        [
            ("limit=0", "query.invalid_limit", "limit"),
            ("limit=101", "query.invalid_limit", "limit"),
            ("limit=-1", "query.invalid_limit", "limit"),
            ("limit=abc", "request.invalid", "limit"),
            ("cursor=%25%25not-a-cursor%25%25", "query.invalid_cursor", "cursor"),
            ("cursor=" + foreignCursor, "query.invalid_cursor", "cursor"),
            ("classification=secret", "query.invalid_parameter", "classification"),
            ("classification=L1", "query.invalid_parameter", "classification"),
        ];
        foreach (var (query, code, mentions) in cases)
        {
            var problem = await ProblemAssert.IsProblemAsync(await client.GetAsync("/v1/datasets?" + query), HttpStatusCode.BadRequest, code);
            Assert.True(problem["detail"]!.GetValue<string>().Contains(mentions, StringComparison.OrdinalIgnoreCase), $"{query}: {problem.ToJsonString()}");
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_open_villages_dataset_shows_its_columns_in_clear_and_open_access(string db)
    {
        var client = await AnonymousAsync(db);
        var detail = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{Villages}"));

        Assert.Equal(Villages, detail["id"]!.GetValue<string>());
        Assert.Equal("open", detail["access"]!.GetValue<string>());
        Assert.Equal("open", detail["classification"]!.GetValue<string>());
        Assert.Equal("ningbo-civil-affairs", detail["owner"]!.GetValue<string>());
        Assert.Contains("宁波", detail["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, detail["version"]!.GetValue<int>());
        Assert.Equal(3042, detail["rowCount"]!.GetValue<long>());
        var columns = detail["columns"]!.AsArray();
        Assert.Equal(["code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"], columns.Select(c => c!["name"]!.GetValue<string>()).ToArray());
        foreach (var column in columns)
        {
            Assert.Equal("string", column!["type"]!.GetValue<string>());
            Assert.Equal("clear", column["visibility"]!.GetValue<string>());
            Assert.Null(column["tag"]);
            Assert.False(string.IsNullOrWhiteSpace(column["title"]!.GetValue<string>()));
        }
        var version = Assert.Single(detail["versions"]!.AsArray())!;
        Assert.Equal(1, version["version"]!.GetValue<int>());
        Assert.Equal(3042, version["rowCount"]!.GetValue<long>());
        Assert.Equal("published", version["status"]!.GetValue<string>());
        Assert.EndsWith($"/v1/datasets/{Villages}/records", detail["links"]!["records"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_restricted_hotline_dataset_is_requestable_and_tags_its_personal_data(string db)
    {
        var client = await AnonymousAsync(db);
        var detail = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{Hotline}"));

        Assert.Equal("restricted", detail["classification"]!.GetValue<string>());
        Assert.Equal("requestable", detail["access"]!.GetValue<string>());
        var columns = detail["columns"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        Assert.Equal("pii.name", columns["callerName"]["tag"]!.GetValue<string>());
        Assert.Equal("pii.phone", columns["callerMobile"]["tag"]!.GetValue<string>());
        Assert.Equal("pii.id_card", columns["callerIdCard"]["tag"]!.GetValue<string>());
        Assert.Equal("pii.address", columns["address"]["tag"]!.GetValue<string>());
        // The district is no personal datum on its own but a quasi-identifier: tagged so reviewers see its risk, shown in clear.
        Assert.Equal("geo.district", columns["district"]["tag"]!.GetValue<string>());
        Assert.Equal("clear", columns["district"]["visibility"]!.GetValue<string>());
        Assert.Equal("datetime", columns["receivedAt"]["type"]!.GetValue<string>());
        Assert.Equal("boolean", columns["resolved"]["type"]!.GetValue<string>());
        foreach (var column in columns.Values)
        {
            Assert.Contains(column["visibility"]!.GetValue<string>(), Visibilities);
        }
        foreach (var pii in new[] { "callerName", "callerMobile", "callerIdCard", "address" })
        {
            Assert.NotEqual("clear", columns[pii]["visibility"]!.GetValue<string>());
        }
        Assert.Equal(1000, detail["rowCount"]!.GetValue<long>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Column_types_are_reported_as_declared(string db)
    {
        var client = await AnonymousAsync(db);
        var detail = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{AirQuality}"));

        var types = detail["columns"]!.AsArray().Select(c => $"{c!["name"]!.GetValue<string>()}:{c["type"]!.GetValue<string>()}").ToArray();
        Assert.Equal(["date:date", "station:string", "district:string", "aqi:integer", "pm25:decimal", "primaryPollutant:string", "exceedsStandard:boolean"], types);
        Assert.Equal("environment", detail["theme"]!.GetValue<string>());
        Assert.Equal("open", detail["access"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_unknown_dataset_answers_404(string db)
    {
        var client = await AnonymousAsync(db);
        var problem = await ProblemAssert.IsProblemAsync(await client.GetAsync("/v1/datasets/no-such-dataset"), HttpStatusCode.NotFound, "dataset.not_found");
        Assert.Contains("no-such-dataset", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/v1/datasets/NINGBO-VILLAGES"), HttpStatusCode.NotFound, "dataset.not_found");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Organisations_are_listed_with_chinese_and_english_names(string db)
    {
        var client = await AnonymousAsync(db);
        var list = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/organisations"));
        var organisations = list["items"]!.AsArray();

        Assert.Equal(5, organisations.Count);
        foreach (var o in organisations)
        {
            Assert.Matches(Chinese(), o!["name"]!.GetValue<string>());
            Assert.Matches(English(), o["nameEn"]!.GetValue<string>());
        }
        var civilAffairs = Assert.Single(organisations, o => o!["id"]!.GetValue<string>() == "ningbo-civil-affairs")!;
        Assert.Equal("宁波市民政局", civilAffairs["name"]!.GetValue<string>());
        Assert.Equal("Ningbo Civil Affairs Bureau", civilAffairs["nameEn"]!.GetValue<string>());

        // Every dataset's owner is a listed organisation.
        var ids = organisations.Select(o => o!["id"]!.GetValue<string>()).ToHashSet();
        var datasets = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets"));
        Assert.All(datasets["items"]!.AsArray(), d => Assert.Contains(d!["owner"]!.GetValue<string>(), ids));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Nine_themes_are_listed_with_chinese_and_english_names(string db)
    {
        var client = await AnonymousAsync(db);
        var list = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/themes"));
        var themes = list["items"]!.AsArray();

        Assert.Equal(9, themes.Count);
        Assert.Equal(9, themes.Select(t => t!["id"]!.GetValue<string>()).Distinct().Count());
        foreach (var theme in themes)
        {
            Assert.Matches(Chinese(), theme!["name"]!.GetValue<string>());
            Assert.Matches(English(), theme["nameEn"]!.GetValue<string>());
        }
        var environment = Assert.Single(themes, t => t!["id"]!.GetValue<string>() == "environment")!;
        Assert.Equal("生态环境", environment["name"]!.GetValue<string>());
        Assert.Equal("Environment", environment["nameEn"]!.GetValue<string>());

        // Every dataset's theme is a listed theme.
        var ids = themes.Select(t => t!["id"]!.GetValue<string>()).ToHashSet();
        var datasets = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets"));
        Assert.All(datasets["items"]!.AsArray(), d => Assert.Contains(d!["theme"]!.GetValue<string>(), ids));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_dcat_catalogue_is_json_ld_describing_every_dataset_and_its_distributions(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        var response = await client.GetAsync("/v1/catalogue/dcat");
        var catalogue = await PlatformHost.ReadJsonAsync(response);

        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("http://www.w3.org/ns/dcat#", catalogue["@context"]!["dcat"]!.GetValue<string>());
        Assert.Equal("http://purl.org/dc/terms/", catalogue["@context"]!["dct"]!.GetValue<string>());
        Assert.Equal("dcat:Catalog", catalogue["@type"]!.GetValue<string>());
        Assert.NotNull(catalogue["dct:title"]);

        var listed = (await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets")))["items"]!.AsArray()
            .ToDictionary(d => d!["id"]!.GetValue<string>(), d => d!);
        var organisations = (await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/organisations")))["items"]!.AsArray()
            .ToDictionary(o => o!["id"]!.GetValue<string>(), o => o!["name"]!.GetValue<string>());
        var datasets = catalogue["dcat:dataset"]!.AsArray();
        Assert.Equal(AllSeeded, datasets.Select(d => d!["dct:identifier"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());

        foreach (var dataset in datasets)
        {
            var id = dataset!["dct:identifier"]!.GetValue<string>();
            Assert.Equal("dcat:Dataset", dataset["@type"]!.GetValue<string>());
            // Every seeded dataset has English: both titles, language-tagged.
            var titles = dataset["dct:title"]!.AsArray().ToDictionary(t => t!["@language"]!.GetValue<string>(), t => t!["@value"]!.GetValue<string>());
            Assert.Equal(listed[id]["title"]!.GetValue<string>(), titles["zh"]);
            Assert.Equal(listed[id]["titleEn"]!.GetValue<string>(), titles["en"]);
            var publisher = dataset["dct:publisher"]!;
            Assert.Equal("foaf:Organization", publisher["@type"]!.GetValue<string>());
            var publisherName = organisations[listed[id]["owner"]!.GetValue<string>()];
            Assert.Contains(publisher["foaf:name"]!.AsArray(), n => n!["@value"]!.GetValue<string>() == publisherName);

            var accessUrls = dataset["dcat:distribution"]!.AsArray()
                .Select(d => new Uri(d!["dcat:accessURL"]!["@id"]!.GetValue<string>()))
                .ToList();
            Assert.All(accessUrls, u => Assert.Equal(host.BaseAddress.Authority, u.Authority));
            var paths = accessUrls.Select(u => u.PathAndQuery).ToList();
            Assert.Contains($"/v1/datasets/{id}/records", paths);
            Assert.Contains($"/v1/datasets/{id}/export?format=csv", paths);
            Assert.Contains($"/v1/datasets/{id}/export?format=ndjson", paths);
        }

        // The links lead somewhere: the open dataset's records and CSV export answer.
        var villages = datasets.Single(d => d!["dct:identifier"]!.GetValue<string>() == Villages)!;
        var distributions = villages["dcat:distribution"]!.AsArray();
        var recordsUrl = distributions.Select(d => d!["dcat:accessURL"]!["@id"]!.GetValue<string>()).Single(u => u.EndsWith("/records", StringComparison.Ordinal));
        var records = await PlatformHost.ReadJsonAsync(await client.GetAsync(new Uri(recordsUrl).PathAndQuery + "?limit=1"));
        Assert.Single(records["items"]!.AsArray());
        var csvUrl = distributions.Select(d => d!["dcat:accessURL"]!["@id"]!.GetValue<string>()).Single(u => u.EndsWith("format=csv", StringComparison.Ordinal));
        using var export = await client.GetAsync(new Uri(csvUrl).PathAndQuery, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
    }
}
