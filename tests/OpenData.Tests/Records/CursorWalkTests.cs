using System.Net;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Records;

public sealed class CursorWalkTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private const int NingboVillages = 3042;

    [DatabaseTheory, OnEachDatabase]
    public async Task A_walk_over_all_villages_visits_each_exactly_once(string db)
    {
        var host = await hosts.GetAsync(db);
        var codes = await WalkAsync(host.Anonymous(), "/v1/datasets/ningbo-villages/records?limit=100", "code");
        Assert.Equal(NingboVillages, codes.Count);
        Assert.Equal(NingboVillages, codes.Distinct().Count());
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_walk_sorted_on_a_repeating_column_descending_visits_each_once_in_order(string db)
    {
        var host = await hosts.GetAsync(db);
        var rows = await WalkRowsAsync(host.Anonymous(), "/v1/datasets/ningbo-villages/records?limit=250&order_by=name%20desc&select=code,name");
        Assert.Equal(NingboVillages, rows.Count);
        Assert.Equal(NingboVillages, rows.Select(r => r["code"]!.GetValue<string>()).Distinct().Count());
        var names = rows.Select(r => r["name"]!.GetValue<string>()).ToList();
        Assert.True(names.Distinct().Count() < names.Count, "names repeat, so the walk must break ties on the row");
        for (var i = 1; i < names.Count; i++)
        {
            Assert.True(string.CompareOrdinal(names[i - 1], names[i]) >= 0, $"'{names[i - 1]}' before '{names[i]}' at {i}");
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_walk_sorted_on_a_column_with_nulls_visits_each_once(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        var total = (await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/ningbo-air-quality-daily")))["rowCount"]!.GetValue<int>();
        var rows = await WalkRowsAsync(client, "/v1/datasets/ningbo-air-quality-daily/records?limit=333&order_by=primaryPollutant,aqi%20desc");
        Assert.Equal(total, rows.Count);
        var keys = rows.Select(r => $"{r["date"]}|{r["station"]}").ToList();
        Assert.Equal(total, keys.Distinct().Count());
        // NULLs first when ascending, then the pollutants in order, aqi descending within each.
        var pollutants = rows.Select(r => r["primaryPollutant"]?.GetValue<string>()).ToList();
        Assert.Null(pollutants[0]);
        var firstNonNull = pollutants.FindIndex(p => p is not null);
        Assert.True(firstNonNull > 0);
        Assert.All(pollutants.Skip(firstNonNull), p => Assert.NotNull(p));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_filtered_walk_returns_exactly_the_matching_rows(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        var all = await WalkAsync(client, "/v1/datasets/ningbo-villages/records?limit=1000", "areaCode");
        var expected = all.Count(a => a == "330212");
        var codes = await WalkAsync(client, "/v1/datasets/ningbo-villages/records?limit=37&where=" + Uri.EscapeDataString("areaCode = '330212'"), "code");
        Assert.Equal(expected, codes.Count);
        Assert.Equal(expected, codes.Distinct().Count());
        Assert.All(codes, c => Assert.StartsWith("330212", c, StringComparison.Ordinal));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task CSV_pages_carry_the_cursor_in_a_Link_header_that_walks_everything(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        string? url = "/v1/datasets/ningbo-villages/records?limit=500&format=csv&select=code";
        var codes = new List<string>();
        while (url is not null)
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("code", lines[0]);
            codes.AddRange(lines.Skip(1));
            url = response.Headers.TryGetValues("Link", out var link) ? ParseNext(link.Single()) : null;
        }
        Assert.Equal(NingboVillages, codes.Count);
        Assert.Equal(NingboVillages, codes.Distinct().Count());
    }

    internal static string ParseNext(string link)
    {
        Assert.EndsWith("rel=\"next\"", link, StringComparison.Ordinal);
        return new Uri(link[1..link.IndexOf('>', StringComparison.Ordinal)]).PathAndQuery;
    }

    internal static async Task<List<string>> WalkAsync(HttpClient client, string firstUrl, string column) =>
        (await WalkRowsAsync(client, firstUrl)).Select(r => r[column]!.GetValue<string>()).ToList();

    internal static async Task<List<JsonNode>> WalkRowsAsync(HttpClient client, string firstUrl)
    {
        var rows = new List<JsonNode>();
        string? cursor = null;
        for (var pages = 0; pages < 10_000; pages++)
        {
            var url = cursor is null ? firstUrl : $"{firstUrl}&cursor={cursor}";
            var page = await PlatformHost.ReadJsonAsync(await client.GetAsync(url));
            rows.AddRange(page["items"]!.AsArray().Select(n => n!));
            cursor = page["next"]?.GetValue<string>();
            if (cursor is null)
            {
                return rows;
            }
        }
        throw new InvalidOperationException("the walk did not end");
    }
}
