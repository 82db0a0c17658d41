using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Records;

public sealed class RecordFormatTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    [DatabaseTheory, OnEachDatabase]
    public async Task NDJSON_pages_hold_one_object_a_line_and_link_to_the_next(string db)
    {
        var host = await hosts.GetAsync(db);
        var response = await host.Anonymous().GetAsync("/v1/datasets/ningbo-villages/records?limit=3&format=ndjson&select=code,name");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var first = JsonNode.Parse(lines[0])!.AsObject();
        Assert.Equal(["code", "name"], first.Select(p => p.Key));
        Assert.Equal("澄浪社区", first["name"]!.GetValue<string>());
        Assert.Contains("cursor=", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_format_follows_the_Accept_header(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        using var csv = new HttpRequestMessage(HttpMethod.Get, "/v1/datasets/ningbo-villages/records?limit=2");
        csv.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csvResponse = await client.SendAsync(csv);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("code,name,streetCode,provinceCode,cityCode,areaCode\r\n", await csvResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var ndjson = new HttpRequestMessage(HttpMethod.Get, "/v1/datasets/ningbo-villages/records?limit=2");
        ndjson.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        Assert.Equal("application/x-ndjson", (await client.SendAsync(ndjson)).Content.Headers.ContentType?.MediaType);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Typed_columns_come_back_as_JSON_types_and_filter_by_type(string db)
    {
        var host = await hosts.GetAsync(db);
        var where = Uri.EscapeDataString("date between date'2025-03-01' and date'2025-03-31' and exceedsStandard = true and pm25 >= 50.5 and station in ('市监测站', '钱湖') and not district like '%县'");
        var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/ningbo-air-quality-daily/records?limit=1000&where={where}"));
        var items = page["items"]!.AsArray();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            var date = item!["date"]!.GetValue<string>();
            Assert.InRange(string.CompareOrdinal(date, "2025-03-01"), 0, int.MaxValue);
            Assert.InRange(string.CompareOrdinal(date, "2025-03-31"), int.MinValue, 0);
            Assert.True(item["exceedsStandard"]!.GetValue<bool>());
            Assert.True(item["pm25"]!.GetValue<double>() >= 50.5);
            Assert.True(item["aqi"]!.GetValue<long>() > 100);
            Assert.Contains(item["station"]!.GetValue<string>(), new[] { "市监测站", "钱湖" });
        }
        var nulls = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync(
            "/v1/datasets/ningbo-air-quality-daily/records?limit=5&where=" + Uri.EscapeDataString("primaryPollutant is null and aqi <= 50")));
        Assert.NotEmpty(nulls["items"]!.AsArray());
        Assert.All(nulls["items"]!.AsArray(), i => Assert.Null(i!["primaryPollutant"]));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Values_are_bound_never_spliced_into_SQL(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        foreach (var attack in new[] { "x' OR '1'='1", "x'; DROP TABLE datasets; --", "' OR 1=1 --" })
        {
            var where = Uri.EscapeDataString($"name = '{attack.Replace("'", "''", StringComparison.Ordinal)}'");
            var page = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/ningbo-villages/records?where={where}"));
            Assert.Empty(page["items"]!.AsArray());
        }
        var like = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/ningbo-villages/records?where=" + Uri.EscapeDataString(@"name like '100\%'")));
        Assert.Empty(like["items"]!.AsArray());
        Assert.Equal(OpenData.Platform.Seed.SeedCatalogue.Datasets.Length, (await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets")))["items"]!.AsArray().Count);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Like_is_case_sensitive_with_escapes_on_both_databases(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        var upper = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/ningbo-air-quality-daily/records?limit=1&where=" + Uri.EscapeDataString("primaryPollutant like 'PM%'")));
        var lower = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/ningbo-air-quality-daily/records?limit=1&where=" + Uri.EscapeDataString("primaryPollutant like 'pm%'")));
        Assert.Single(upper["items"]!.AsArray());
        Assert.Empty(lower["items"]!.AsArray());
        var single = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/ningbo-air-quality-daily/records?limit=1000&where=" + Uri.EscapeDataString("primaryPollutant like 'PM2_5'")));
        Assert.All(single["items"]!.AsArray(), i => Assert.Equal("PM2.5", i!["primaryPollutant"]!.GetValue<string>()));
        var literal = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/ningbo-air-quality-daily/records?limit=1&where=" + Uri.EscapeDataString(@"primaryPollutant like 'PM2\_5'")));
        Assert.Empty(literal["items"]!.AsArray());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Export_streams_the_whole_dataset_as_CSV_and_NDJSON(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        var csv = await client.GetAsync("/v1/datasets/ningbo-villages/export?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ningbo-villages-v1.csv", csv.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3043, lines.Length);
        Assert.Equal("code,name,streetCode,provinceCode,cityCode,areaCode", lines[0]);
        Assert.Equal("330203001001,澄浪社区,330203001,33,3302,330203", lines[1]);
        Assert.Equal("3042", csv.Headers.GetValues("X-Total-Rows").Single());

        using var byAccept = new HttpRequestMessage(HttpMethod.Get, "/v1/datasets/ningbo-air-quality-daily/export");
        byAccept.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        var ndjson = await client.SendAsync(byAccept);
        Assert.Equal("application/x-ndjson", ndjson.Content.Headers.ContentType?.MediaType);
        var objects = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(int.Parse(ndjson.Headers.GetValues("X-Total-Rows").Single(), System.Globalization.CultureInfo.InvariantCulture), objects.Count);
        Assert.All(objects, o => Assert.Equal(System.Text.Json.JsonValueKind.Number, JsonValueKindOf(o["aqi"])));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task CSV_quotes_fields_with_commas_quotes_and_line_breaks(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner();
        await host.CreateDatasetAsync(owner, "quoting", "open", ("id", "integer"), ("text", "string"));
        var job = await host.UploadAsync(owner, "quoting", "id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n");
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var body = await (await host.Anonymous().GetAsync("/v1/datasets/quoting/export?format=csv")).Content.ReadAsStringAsync();
        Assert.Equal("id,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n4,plain\r\n", body);
    }

    private static System.Text.Json.JsonValueKind JsonValueKindOf(JsonNode? node) => node!.GetValueKind();
}
