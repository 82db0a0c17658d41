using System.Net;
using Dapper;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Sandbox;

/// <summary>
/// The twins as sandbox callers get them, through the one read path: the seeded restricted dataset's twin is read without a grant
/// and holds none of the real values of its high-cardinality columns; live callers still need a grant and never see the twin; a
/// new version gets its own twin; a withheld twin is never served.
/// </summary>
public sealed class TwinServingTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private const string Hotline = "hotline-12345-requests";

    internal static HttpClient Sandbox(PlatformHost host, string tenant = "contest-team") => host.AsIn("sandbox", tenant, "catalogue:read", "records:read");

    /// <summary>Reads until the twin is served (it is made in the background after a publish), and answers the last response.</summary>
    internal static async Task<HttpResponseMessage> WhenServedAsync(HttpClient client, string url, Func<HttpResponseMessage, bool>? done = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var response = await client.GetAsync(url);
            if ((response.StatusCode == HttpStatusCode.OK && (done is null || done(response))) || DateTime.UtcNow > deadline)
            {
                return response;
            }
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
                $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }
    }

    /// <summary>The real rows of a dataset's current version, straight from the store (what the twin must not copy).</summary>
    internal static async Task<List<Dictionary<string, string?>>> RealRowsAsync(PlatformHost host, string dataset)
    {
        await using var connection = await host.OpenStoreAsync();
        var table = await connection.ExecuteScalarAsync<string>(
            "SELECT v.table_name FROM datasets d JOIN dataset_versions v ON v.dataset_key = d.key AND v.version = d.current_version WHERE d.id = @dataset", new { dataset });
        var names = (await connection.QueryAsync<(long Position, string Name)>(
            "SELECT c.position, c.name FROM dataset_columns c JOIN datasets d ON d.key = c.dataset_key WHERE d.id = @dataset ORDER BY c.position", new { dataset })).ToList();
        var rows = new List<Dictionary<string, string?>>();
        foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM \"{table}\""))
        {
            rows.Add(names.ToDictionary(n => n.Name, n => row[$"c{n.Position}"] is { } v ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null));
        }
        return rows;
    }

    /// <summary>Columns where at least half the real rows hold a value no other row holds more than once or twice: identifying values.</summary>
    internal static List<string> HighCardinality(List<Dictionary<string, string?>> rows) =>
        rows[0].Keys.Where(c => rows.Select(r => r[c]).Where(v => !string.IsNullOrEmpty(v)).Distinct().Count() >= rows.Count / 2).ToList();

    [DatabaseTheory, OnEachDatabase]
    public async Task A_sandbox_token_reads_the_restricted_datasets_twin_without_a_grant_and_no_real_identifying_value_is_in_it(string db)
    {
        var host = await hosts.GetAsync(db);
        var sandbox = Sandbox(host);
        var response = await WhenServedAsync(sandbox, $"/v1/datasets/{Hotline}/export?format=csv");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var table = Csv.Parse(body);
        var twin = table.Skip(1).Select(r => table[0].Select((name, i) => (name, value: r[i])).ToDictionary(x => x.name, x => (string?)x.value)).ToList();
        var real = await RealRowsAsync(host, Hotline);
        Assert.InRange(twin.Count, real.Count / 2, real.Count * 2);

        var identifying = HighCardinality(real);
        Assert.Contains("callerIdCard", identifying);
        Assert.Contains("callerMobile", identifying);
        Assert.Contains("ticketNo", identifying);
        foreach (var column in identifying)
        {
            var values = real.Select(r => r[column]).Where(v => !string.IsNullOrEmpty(v)).ToHashSet(StringComparer.Ordinal);
            var copied = twin.Select(r => r[column]).Where(values.Contains).Distinct().ToList();
            Assert.True(copied.Count == 0, $"{column}: the twin holds {copied.Count} real values, e.g. {string.Join(", ", copied.Take(3))}");
        }

        // A live consumer of the same tenant still needs a grant, and the catalogue tells the sandbox caller its columns are synthetic.
        var live = await host.As("contest-team", "catalogue:read", "records:read").GetAsync($"/v1/datasets/{Hotline}/records");
        await ProblemAssert.IsProblemAsync(live, HttpStatusCode.Forbidden, "access.grant_required");
        var schema = await PlatformHost.ReadJsonAsync(await sandbox.GetAsync($"/v1/datasets/{Hotline}"));
        Assert.Contains(schema["columns"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "callerIdCard" && c["visibility"]!.GetValue<string>() == "synthetic");
        // No real row left, so the owner's audit has no read of its data by the sandbox caller (the live refusal above read nothing either).
        Assert.Equal(0L, Convert.ToInt64(await host.QueryScalarAsync(
            $"SELECT COUNT(*) FROM audit_log WHERE dataset_id = '{Hotline}' AND actor_tenant = 'contest-team' AND type IN ('records.read', 'records.exported', 'outbound.leak_masked')"),
            System.Globalization.CultureInfo.InvariantCulture));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_sandbox_caller_filters_and_pages_the_twin_like_any_dataset(string db)
    {
        var host = await hosts.GetAsync(db);
        var sandbox = Sandbox(host);
        var first = await WhenServedAsync(sandbox, $"/v1/datasets/{Hotline}/records?limit=5&order_by=callerMobile");
        var page = await PlatformHost.ReadJsonAsync(first);
        Assert.Equal(5, page["items"]!.AsArray().Count);
        var next = page["next"]!.GetValue<string>();
        var second = await PlatformHost.ReadJsonAsync(await sandbox.GetAsync($"/v1/datasets/{Hotline}/records?limit=5&order_by=callerMobile&cursor={Uri.EscapeDataString(next)}"));
        Assert.Equal(5, second["items"]!.AsArray().Count);
        var mobiles = page["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(i => i!["callerMobile"]!.GetValue<string>()).ToList();
        Assert.Equal(mobiles.Order(StringComparer.Ordinal), mobiles);

        // The sandbox's cursor does not open for a live caller of the same tenant, nor the other way round.
        var live = await host.As("contest-team", "catalogue:read", "records:read").GetAsync($"/v1/datasets/ningbo-air-quality-daily/records?limit=1");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var crossed = await sandbox.GetAsync($"/v1/datasets/{Hotline}/records?limit=5&order_by=callerMobile&cursor={Uri.EscapeDataString(next)}x");
        Assert.Equal(HttpStatusCode.BadRequest, crossed.StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_new_version_gets_its_own_twin_and_a_withheld_twin_is_never_served(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner();
        await host.CreateDatasetAsync(owner, "twin-versions", "restricted", ("code", "string"), ("district", "string"), ("count", "integer"));
        string Rows(int version, int n) => "code,district,count\n" + string.Join("\n", Enumerable.Range(0, n).Select(i => $"V{version}-{i:00000},{(i % 3 == 0 ? "海曙区" : "鄞州区")},{i % 17}"));
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "twin-versions", Rows(1, 300))).GetProperty("status").GetString());
        var sandbox = Sandbox(host);
        var v1 = await WhenServedAsync(sandbox, "/v1/datasets/twin-versions/records?limit=1000");
        Assert.Equal("1", v1.Headers.GetValues("X-Dataset-Version").Single());
        Assert.Equal(300, (await PlatformHost.ReadJsonAsync(v1))["items"]!.AsArray().Count);

        Assert.Equal("succeeded", (await host.UploadAsync(owner, "twin-versions", Rows(2, 450))).GetProperty("status").GetString());
        var v2 = await WhenServedAsync(sandbox, "/v1/datasets/twin-versions/records?limit=1000", r => r.Headers.GetValues("X-Dataset-Version").Single() == "2");
        Assert.Equal("2", v2.Headers.GetValues("X-Dataset-Version").Single());
        var items = (await PlatformHost.ReadJsonAsync(v2))["items"]!.AsArray();
        Assert.Equal(450, items.Count);
        var realCodes = Enumerable.Range(0, 450).Select(i => $"V2-{i:00000}").ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(items, i => realCodes.Contains(i!["code"]!.GetValue<string>()));
        Assert.Equal(2L, Convert.ToInt64(await host.QueryScalarAsync(
            "SELECT COUNT(*) FROM sandbox_twins t JOIN datasets d ON d.key = t.dataset_key WHERE d.id = 'twin-versions' AND t.status = 'ready'"), System.Globalization.CultureInfo.InvariantCulture));

        // A twin withheld by its privacy checks is not served, whatever its table.
        await host.ExecuteSqlAsync("UPDATE sandbox_twins SET status = 'withheld' WHERE version = 2 AND dataset_key = (SELECT key FROM datasets WHERE id = 'twin-versions')");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpResponseMessage withheld;
        do
        {
            withheld = await sandbox.GetAsync("/v1/datasets/twin-versions/records");
            await Task.Delay(200);
        }
        while (withheld.StatusCode == HttpStatusCode.OK && DateTime.UtcNow < deadline);
        await ProblemAssert.IsProblemAsync(withheld, HttpStatusCode.Conflict, "sandbox.twin_unavailable");
        // The live path never looks at twins: the owner still reads version 2's real rows.
        var real = await PlatformHost.ReadJsonAsync(await owner.GetAsync("/v1/datasets/twin-versions/records?limit=1"));
        Assert.StartsWith("V2-", real["items"]![0]!["code"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_owner_reads_the_twins_report_and_nobody_else_does(string db)
    {
        var host = await hosts.GetAsync(db);
        await WhenServedAsync(Sandbox(host), $"/v1/datasets/{Hotline}/records?limit=1");
        var owner = await host.QueryScalarAsync($"SELECT owner_id FROM datasets WHERE id = '{Hotline}'") as string;
        var twin = await PlatformHost.ReadJsonAsync(await host.As(owner!, "catalogue:read", "datasets:write").GetAsync($"/v1/datasets/{Hotline}/twin"));
        Assert.Equal("ready", twin["status"]!.GetValue<string>());
        Assert.True(twin["served"]!.GetValue<bool>());
        Assert.True(twin["report"]!["passed"]!.GetValue<bool>());
        Assert.True(twin["rows"]!.GetValue<long>() > 0);

        await ProblemAssert.IsProblemAsync(await host.As("contest-team", "catalogue:read", "records:read").GetAsync($"/v1/datasets/{Hotline}/twin"),
            HttpStatusCode.Forbidden, "sandbox.report_not_owner");
        // The owner's sandbox app is refused too: the report is the owner's live view of its real rows' statistics.
        await ProblemAssert.IsProblemAsync(await host.AsIn("sandbox", owner!, "catalogue:read", "datasets:write").GetAsync($"/v1/datasets/{Hotline}/twin"),
            HttpStatusCode.Forbidden, "env.mismatch");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task GraphQL_serves_the_twin_to_a_sandbox_token_through_the_same_read_path(string db)
    {
        var host = await hosts.GetAsync(db);
        var sandbox = Sandbox(host);
        await WhenServedAsync(sandbox, $"/v1/datasets/{Hotline}/records?limit=1");
        var rest = await PlatformHost.ReadJsonAsync(await sandbox.GetAsync($"/v1/datasets/{Hotline}/records?limit=3&order_by=ticketNo"));
        var graph = (await GraphQLCalls.PostAsync(sandbox, """
            query ($id: ID!) { dataset(id: $id) { records(first: 3, orderBy: "ticketNo") { items } } }
            """, new { id = Hotline })).Ok();
        GraphQLCalls.AssertSameRows(rest["items"], graph["dataset"]!["records"]!["items"]);
        var live = await GraphQLCalls.PostAsync(host.As("contest-team", "catalogue:read", "records:read"), """
            query ($id: ID!) { dataset(id: $id) { records(first: 3) { items } } }
            """, new { id = Hotline });
        live.Error("access.grant_required");
    }
}
