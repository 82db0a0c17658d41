using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using OpenData.Platform.Desensitisation;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Desensitisation;

/// <summary>
/// An open dataset with tagged personal columns and a free-text note full of ID, mobile, card and e-mail values: nothing raw
/// leaves through records, CSV, NDJSON or exports; hidden and masked columns cannot be filtered or sorted on; the owner reads clear.
/// </summary>
public sealed class DesensitisedReadTests(DesensitisedReadTests.PeopleHosts hosts) : IClassFixture<DesensitisedReadTests.PeopleHosts>
{
    /// <summary>One host per database holding the people dataset, shared by this class's read-only tests.</summary>
    public sealed class PeopleHosts : SeededHosts
    {
        protected override Task PrepareAsync(PlatformHost host) => PeopleDataset.CreateAsync(host, Dataset);
    }

    private const string Dataset = "people-open";
    private static readonly IReadOnlyList<PiiRows.Person> People = PeopleDataset.People;

    private static void AssertNothingLeaks(string body)
    {
        Assert.Empty(PiiScanner.Find(body));
        var normalised = PiiRows.Normalise(body);
        foreach (var secret in PiiRows.Secrets(People))
        {
            Assert.DoesNotContain(PiiRows.Normalise(secret), normalised, StringComparison.Ordinal);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task No_raw_personal_value_leaves_through_pages_or_exports_in_any_format(string db)
    {
        var host = await hosts.GetAsync(db);
        foreach (var client in new[] { host.Anonymous(), host.As("some-consumer", "catalogue:read", "records:read") })
        {
            foreach (var url in new[]
            {
                $"/v1/datasets/{Dataset}/records?limit=1000",
                $"/v1/datasets/{Dataset}/records?limit=1000&format=csv",
                $"/v1/datasets/{Dataset}/records?limit=1000&format=ndjson",
                $"/v1/datasets/{Dataset}/export?format=csv",
                $"/v1/datasets/{Dataset}/export?format=ndjson",
            })
            {
                var response = await client.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {body}");
                AssertNothingLeaks(body);
                Assert.Contains("T0039", body, StringComparison.Ordinal);
            }
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Each_tagged_column_takes_the_documented_shape_and_the_note_is_masked_in_place(string db)
    {
        var host = await hosts.GetAsync(db);
        var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{Dataset}/records?limit=4"));
        var items = page["items"]!.AsArray();
        for (var i = 0; i < 4; i++)
        {
            var row = items[i]!.AsObject();
            var person = People[i];
            Assert.False(row.ContainsKey("idCard"), "a hidden column is not in the default selection");
            Assert.Equal(person.Name[0] + "**", row["name"]!.GetValue<string>());
            Assert.Equal(person.Mobile[..3] + "****" + person.Mobile[7..], row["mobile"]!.GetValue<string>());
            Assert.Equal("浙江省宁波市" + person.District, row["address"]!.GetValue<string>());
            Assert.Equal("u***@example.org", row["email"]!.GetValue<string>());
            Assert.Equal(person.Birth.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), row["birth"]!.GetValue<string>());
            Assert.Equal(person.District, row["district"]!.GetValue<string>());
        }
        // The note keeps its words; only the numbers and addresses inside are masked.
        Assert.Equal($"来电人身份证号{People[0].IdCard[..3]}***********{People[0].IdCard[14..]}，要求回电{People[0].Mobile[..3]}****{People[0].Mobile[7..]}。",
            items[0]!["note"]!.GetValue<string>());
        Assert.StartsWith(People[1].Mobile[..3] + "****" + People[1].Mobile[7..] + " 反映噪音扰民，邮箱 u", items[1]!["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("card ****" + People[2].Card[^4..] + " and ID " + People[2].IdCard[..3] + "***********" + People[2].IdCard[14..], items[2]!["note"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_dataset_shows_each_columns_visibility_for_the_caller(string db)
    {
        var host = await hosts.GetAsync(db);
        static Dictionary<string, string> Visibility(JsonNode detail) =>
            detail["columns"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["visibility"]!.GetValue<string>());

        var anonymous = Visibility(await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{Dataset}")));
        Assert.Equal("masked", anonymous["name"]);
        Assert.Equal("masked", anonymous["mobile"]);
        Assert.Equal("hidden", anonymous["idCard"]);
        Assert.Equal("generalised", anonymous["address"]);
        Assert.Equal("masked", anonymous["email"]);
        Assert.Equal("generalised", anonymous["birth"]);
        Assert.Equal("clear", anonymous["note"]);

        var sandbox = Visibility(await PlatformHost.ReadJsonAsync(await host.AsIn("sandbox", "contest-team", "catalogue:read", "records:read").GetAsync($"/v1/datasets/{Dataset}")));
        Assert.Equal("synthetic", sandbox["idCard"]);

        var owner = await PlatformHost.ReadJsonAsync(await host.Owner().GetAsync($"/v1/datasets/{Dataset}"));
        Assert.All(Visibility(owner).Values, v => Assert.Equal("clear", v));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Filtering_sorting_or_selecting_what_the_caller_cannot_see_in_clear_is_refused(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        foreach (var (query, code) in new[]
        {
            ("where=" + Uri.EscapeDataString($"mobile = '{People[0].Mobile}'"), "query.column_not_filterable"),
            ("where=" + Uri.EscapeDataString("name like '王%'"), "query.column_not_filterable"),
            ("where=" + Uri.EscapeDataString($"idCard = '{People[0].IdCard}'"), "query.column_not_filterable"),
            ("where=" + Uri.EscapeDataString("birth < date'1970-01-01'"), "query.column_not_filterable"),
            ("where=" + Uri.EscapeDataString("address is null"), "query.column_not_filterable"),
            ("where=" + Uri.EscapeDataString("district = '海曙区' or email in ('a@b.cn')"), "query.column_not_filterable"),
            ("order_by=mobile", "query.column_not_filterable"),
            ("order_by=district,birth desc", "query.column_not_filterable"),
            ("select=ticket,idCard", "query.column_not_visible"),
        })
        {
            var response = await client.GetAsync($"/v1/datasets/{Dataset}/records?{query}");
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, code);
        }
        // Clear columns still filter and sort.
        var page = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{Dataset}/records?where={Uri.EscapeDataString("district = '海曙区'")}&order_by=ticket%20desc"));
        Assert.Equal(10, page["items"]!.AsArray().Count);
        Assert.Equal("T0036", page["items"]![0]!["ticket"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_owner_reads_its_own_rows_in_clear(string db)
    {
        var host = await hosts.GetAsync(db);
        var page = await PlatformHost.ReadJsonAsync(await host.Owner().GetAsync($"/v1/datasets/{Dataset}/records?limit=1&where={Uri.EscapeDataString($"idCard = '{People[0].IdCard}'")}"));
        var row = page["items"]![0]!;
        Assert.Equal(People[0].IdCard, row["idCard"]!.GetValue<string>());
        Assert.Equal(People[0].Note, row["note"]!.GetValue<string>());
        Assert.Equal(People[0].Birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), row["birth"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Masked_leaks_are_counted_per_column_and_kind_without_values(string db)
    {
        var measured = new List<(long Count, string? Dataset, string? Column, string? Kind)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "opendata.outbound.leaks_masked")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        var id = "people-leaks-" + db;
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var named = new Dictionary<string, string?>();
            foreach (var t in tags)
            {
                named[t.Key] = t.Value as string;
            }
            if (named.GetValueOrDefault("dataset") == id)
            {
                lock (measured)
                {
                    measured.Add((value, id, named.GetValueOrDefault("column"), named.GetValueOrDefault("kind")));
                }
            }
        });
        listener.Start();

        var host = await hosts.GetAsync(db);
        await PeopleDataset.CreateAsync(host, id);
        (await host.Anonymous().GetAsync($"/v1/datasets/{id}/records?limit=8&select=ticket,note")).EnsureSuccessStatusCode();
        lock (measured)
        {
            // Rows 0–7: ID cards in rows 0, 2, 4, 6; mobiles in 0, 1, 3, 4, 5, 7; cards in 2, 6; e-mails in 1, 3, 5, 7.
            Assert.Equal(4, measured.Where(m => m.Column == "note" && m.Kind == "IdCard").Sum(m => m.Count));
            Assert.Equal(6, measured.Where(m => m.Column == "note" && m.Kind == "Mobile").Sum(m => m.Count));
            Assert.Equal(2, measured.Where(m => m.Column == "note" && m.Kind == "BankCard").Sum(m => m.Count));
            Assert.Equal(4, measured.Where(m => m.Column == "note" && m.Kind == "Email").Sum(m => m.Count));
        }
    }
}
