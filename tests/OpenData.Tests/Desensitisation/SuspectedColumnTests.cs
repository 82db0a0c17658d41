using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Platform.Desensitisation;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Desensitisation;

/// <summary>
/// Untagged columns that hold personal values, attacked as a caller would: mobiles typed into free text, an integer and a decimal
/// column are recovered digit by digit with <c>like</c>, ranges, equality or sorting unless such columns are suspected. Every probe
/// answers 400 and no answer holds a value; the owner still filters its own data; a tag ends the suspicion.
/// </summary>
public sealed class SuspectedColumnTests
{
    private const int Rows = 24;

    private static string Mobile(int i) => "1381234" + (5000 + i).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);

    private static string Csv() => "n,note,contact,amount,label\n" + string.Concat(Enumerable.Range(1, Rows).Select(i =>
        $"{i},客户{i}请回电{Mobile(i)},{Mobile(i)},{Mobile(i)}.5,窗口{i}\n"));

    private static async Task<PlatformHost> StartAsync(string db, string id)
    {
        var host = await PlatformHost.StartAsync(db);
        await host.CreateDatasetAsync(host.Owner(), id, "open", ("n", "integer"), ("note", "string"), ("contact", "integer"), ("amount", "decimal"), ("label", "string"));
        Assert.Equal("succeeded", (await host.UploadAsync(host.Owner(), id, Csv())).GetProperty("status").GetString());
        return host;
    }

    private static void AssertNoMobile(string body)
    {
        for (var i = 1; i <= Rows; i++)
        {
            Assert.DoesNotContain(Mobile(i), body, StringComparison.Ordinal);
            Assert.DoesNotContain(Mobile(i)[3..], body, StringComparison.Ordinal);
        }
        Assert.Empty(PiiScanner.Find(body));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Digit_by_digit_probes_on_suspected_columns_are_refused_and_nothing_leaks(string db)
    {
        await using var host = await StartAsync(db, "suspects");
        var consumer = host.As("prober", "catalogue:read", "records:read");

        var detail = await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/datasets/suspects"));
        var columns = detail["columns"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        foreach (var name in new[] { "note", "contact", "amount" })
        {
            Assert.True(columns[name]["suspected"]!.GetValue<bool>(), name);
            Assert.False(columns[name]["filterable"]!.GetValue<bool>(), name);
            Assert.Equal("clear", columns[name]["visibility"]!.GetValue<string>());
        }
        Assert.False(columns["label"]["suspected"]!.GetValue<bool>());
        Assert.True(columns["label"]["filterable"]!.GetValue<bool>());

        // The attack: one digit at a time through like, ranges, equality, in, between, null tests and sorting.
        var probes = new List<string>();
        for (var digit = 0; digit <= 9; digit++)
        {
            probes.Add($"where=note like '%1381234{digit}%'");
            probes.Add($"where=contact >= 1381234{digit}000");
            probes.Add($"where=amount < 1381234{digit}000.0");
        }
        probes.Add($"where=contact = {Mobile(3)}");
        probes.Add($"where=note = '客户3请回电{Mobile(3)}'");
        probes.Add($"where=contact in ({Mobile(3)}, {Mobile(4)})");
        probes.Add($"where=contact between 13812345000 and 13812345010");
        probes.Add("where=not (note like '%5003%')");
        probes.Add("where=label = '窗口1' or note like '%5%'");
        probes.Add("order_by=note");
        probes.Add("order_by=contact desc");
        probes.Add("order_by=amount");
        foreach (var probe in probes)
        {
            var query = probe[..(probe.IndexOf('=') + 1)] + Uri.EscapeDataString(probe[(probe.IndexOf('=') + 1)..]);
            var response = await consumer.GetAsync($"/v1/datasets/suspects/records?{query}");
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "query.column_not_filterable");
            Assert.Contains("suspected", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // What may be read leaves masked: text, integers and decimals alike.
        foreach (var format in new[] { "json", "csv", "ndjson" })
        {
            AssertNoMobile(await consumer.GetStringAsync($"/v1/datasets/suspects/records?limit=1000&format={format}"));
        }
        AssertNoMobile(await consumer.GetStringAsync("/v1/datasets/suspects/export?format=csv"));
        Assert.Single((await PlatformHost.ReadJsonAsync(await consumer.GetAsync(
            "/v1/datasets/suspects/records?where=" + Uri.EscapeDataString("label = '窗口7'"))))["items"]!.AsArray());

        // GraphQL refuses the same filter.
        var graph = await consumer.PostAsJsonAsync("/graphql", new { query = """{ dataset(id: "suspects") { records(where: "note like '%138%'") { items } } }""" });
        var body = await graph.Content.ReadAsStringAsync();
        Assert.Contains("query.column_not_filterable", body, StringComparison.Ordinal);
        AssertNoMobile(body);

        // The owner reads and filters its own rows in clear.
        var own = await PlatformHost.ReadJsonAsync(await host.Owner().GetAsync("/v1/datasets/suspects/records?where=" + Uri.EscapeDataString($"contact = {Mobile(3)}")));
        Assert.Equal($"客户3请回电{Mobile(3)}", own["items"]![0]!["note"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_tag_ends_the_suspicion_and_taking_a_pii_tag_away_brings_it_back(string db)
    {
        await using var host = await StartAsync(db, "suspects-tagged");
        var owner = host.Owner();
        var consumer = host.As("prober", "catalogue:read", "records:read");
        var probe = "/v1/datasets/suspects-tagged/records?where=" + Uri.EscapeDataString("contact >= 13812345010");

        // `public`: the owner's word that the column is not personal; it filters, and the check still masks what it finds.
        var tagged = await owner.PatchAsJsonAsync("/v1/datasets/suspects-tagged/columns/contact", new { tag = "public" });
        Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
        var page = await consumer.GetAsync(probe);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var text = await page.Content.ReadAsStringAsync();
        Assert.Equal(Rows - 9, (await PlatformHost.ReadJsonAsync(await consumer.GetAsync(probe + "&limit=1000")))["items"]!.AsArray().Count);
        AssertNoMobile(text);

        // A pii tag: the column is masked by its rule (not filterable as masked, no longer 'suspected').
        Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync("/v1/datasets/suspects-tagged/columns/note", new { tag = "pii.phone" })).StatusCode);
        var detail = await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/datasets/suspects-tagged"));
        var note = detail["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "note")!;
        Assert.False(note["suspected"]!.GetValue<bool>());
        Assert.Equal("masked", note["visibility"]!.GetValue<string>());

        // Untagging does not make it clear and filterable: it is suspected again until the owner says what it is.
        Assert.Equal(HttpStatusCode.OK, (await owner.PatchAsJsonAsync("/v1/datasets/suspects-tagged/columns/note", new { tag = (string?)null })).StatusCode);
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync("/v1/datasets/suspects-tagged/records?where=" + Uri.EscapeDataString("note like '%5%'")),
            HttpStatusCode.BadRequest, "query.column_not_filterable");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_value_the_check_masks_at_read_time_makes_its_column_suspected_at_once(string db)
    {
        var host = await StartAsync(db, "suspects-late");
        // As if the version had been loaded before the scanner knew this written form: nothing flagged at ingestion.
        await host.ExecuteSqlAsync("UPDATE dataset_columns SET suspected = NULL");
        host = await host.RestartAsync();
        await using var _ = host;
        var consumer = host.As("prober", "catalogue:read", "records:read");
        var probe = "/v1/datasets/suspects-late/records?select=n&where=" + Uri.EscapeDataString("note like '%13812345003%'");
        Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync(probe)).StatusCode);

        // One read shows the column masked; from then on it cannot be probed.
        AssertNoMobile(await consumer.GetStringAsync("/v1/datasets/suspects-late/records?select=note&limit=5"));
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync(probe), HttpStatusCode.BadRequest, "query.column_not_filterable");
        var reason = (string?)await host.QueryScalarAsync("SELECT suspected FROM dataset_columns WHERE name = 'note'");
        Assert.Equal("masked:mobile", reason);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_seed_applies_its_profilers_suggestions_and_repeats_no_personal_value_in_untagged_columns(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.As("ningbo-12345-hotline", "catalogue:read", "records:read");
        foreach (var (id, organisation) in new[] { ("ningbo-villages", "ningbo-civil-affairs"), ("ningbo-air-quality-daily", "ningbo-ecology-environment"),
            ("hotline-12345-requests", "ningbo-12345-hotline"), ("ningbo-food-business-licences", "ningbo-market-supervision") })
        {
            // The owner is shown the profiler's suggestions; every one must already be applied.
            var client = host.As(organisation, "catalogue:read", "records:read");
            var detail = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{id}"));
            Assert.All(detail["columns"]!.AsArray(), c => Assert.False(c!["suspected"]!.GetValue<bool>(), $"{id}.{c["name"]}"));
            var suggestions = detail["suggestedTags"] as JsonArray;
            Assert.True(suggestions is null || suggestions.Count == 0, $"{id}: {suggestions?.ToJsonString()}");
        }

        // The restricted hotline: no caller's name, mobile, ID number or address appears in any untagged column of the row.
        var rows = (await PlatformHost.ReadJsonAsync(await owner.GetAsync("/v1/datasets/hotline-12345-requests/records?limit=1000")))["items"]!.AsArray();
        Assert.Equal(1000, rows.Count);
        var untagged = new[] { "ticketNo", "district", "category", "summary" };
        foreach (var row in rows)
        {
            var free = new StringBuilder();
            foreach (var name in untagged)
            {
                free.Append(row![name]?.ToString()).Append('\n');
            }
            var text = free.ToString();
            foreach (var personal in new[] { "callerName", "callerMobile", "callerIdCard", "address" })
            {
                Assert.DoesNotContain(row![personal]!.GetValue<string>(), text, StringComparison.Ordinal);
            }
            Assert.Empty(PiiScanner.Find(text));
        }
    }
}
