using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Analytics;

/// <summary>
/// Exact aggregates on each database, for whoever may read the rows: open data for anyone, restricted data for a grantee on the
/// columns its grant shows in clear. The answers must be what the database's own GROUP BY says; a column the caller does not see
/// in clear may not be grouped or measured (or a group's count would tell what a mask hides); each group spends a row of the quota.
/// </summary>
public sealed class AggregateTests(AggregateTests.HouseholdHosts hosts) : IClassFixture<AggregateTests.HouseholdHosts>
{
    private const string Open = "agg-households-open";
    private const string Restricted = "agg-households-restricted";
    private const string Owner = "ningbo-civil-affairs";
    private const int Rows = 90;
    private static readonly string[] Districts = ["海曙区", "江北区", "鄞州区"];

    /// <summary>One host per database holding the households twice, as open and as restricted data.</summary>
    public sealed class HouseholdHosts : SeededHosts
    {
        protected override async Task PrepareAsync(PlatformHost host)
        {
            await CreateHouseholdsAsync(host, Open, "open");
            await CreateHouseholdsAsync(host, Restricted, "restricted");
        }
    }

    /// <summary>90 households: a head's name, a district (30 each), a gender (alternating), an income and a size; every tenth has no income.</summary>
    private static async Task CreateHouseholdsAsync(PlatformHost host, string id, string classification)
    {
        var owner = Reviewer(host, Owner);
        var response = await owner.PostAsJsonAsync("/v1/datasets", new
        {
            id, title = "Households", description = "made-up households", theme = "public-services", classification,
            license = "CC-BY-4.0", updateFrequency = "irregular",
            columns = new object[]
            {
                new { name = "head", type = "string", tag = "pii.name" },
                new { name = "district", type = "string" },
                new { name = "gender", type = "string" },
                new { name = "income", type = "integer" },
                new { name = "size", type = "decimal" },
            },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var csv = new StringBuilder("head,district,gender,income,size\n");
        for (var i = 0; i < Rows; i++)
        {
            var income = i % 10 == 9 ? "" : (1000 + (i * 7919 % 5000)).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"户主{i},{Districts[i % 3]},{(i % 2 == 0 ? "男" : "女")},{income},{1 + (i % 4) * 0.5}\n");
        }
        var job = await host.UploadAsync(owner, id, csv.ToString());
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
    }

    private static async Task<HttpResponseMessage> AggregateAsync(HttpClient client, string dataset, string query) =>
        await client.GetAsync($"/v1/datasets/{dataset}/aggregate?" + query);

    private static string Q(string groupBy, string measures, string? where = null) =>
        $"group_by={Uri.EscapeDataString(groupBy)}&measures={Uri.EscapeDataString(measures)}" + (where is null ? "" : "&where=" + Uri.EscapeDataString(where));

    /// <summary>The same grouping straight from the store: the figures the endpoint must answer, as text, group by group.</summary>
    private static async Task<List<string>> DirectGroupByAsync(PlatformHost host, string dataset, string whereSql)
    {
        await using var connection = await host.OpenStoreAsync();
        var table = await connection.ExecuteScalarAsync<string>(
            "SELECT v.table_name FROM datasets d JOIN dataset_versions v ON v.dataset_key = d.key AND v.version = d.current_version WHERE d.id = @dataset", new { dataset });
        var positions = (await connection.QueryAsync<(long Position, string Name)>(
            "SELECT c.position, c.name FROM dataset_columns c JOIN datasets d ON d.key = c.dataset_key WHERE d.id = @dataset", new { dataset })).ToDictionary(c => c.Name, c => "c" + c.Position);
        var (district, gender, income) = (positions["district"], positions["gender"], positions["income"]);
        var sql = $"SELECT {district} AS d, {gender} AS g, COUNT(*) AS n, SUM({income}) AS s, AVG({income}) AS a, MIN({income}) AS mi, MAX({income}) AS ma "
            + $"FROM \"{table}\" WHERE {whereSql.Replace("income", income, StringComparison.Ordinal)} GROUP BY {district}, {gender} ORDER BY {district}, {gender}";
        var groups = new List<string>();
        foreach (IDictionary<string, object?> row in await connection.QueryAsync(sql))
        {
            groups.Add(Line(row["d"], row["g"], Convert.ToInt64(row["n"], CultureInfo.InvariantCulture), Convert.ToInt64(row["s"], CultureInfo.InvariantCulture),
                Convert.ToDouble(row["a"], CultureInfo.InvariantCulture), Convert.ToInt64(row["mi"], CultureInfo.InvariantCulture), Convert.ToInt64(row["ma"], CultureInfo.InvariantCulture)));
        }
        return groups;
    }

    private static string Line(object? district, object? gender, long count, long sum, double avg, long min, long max) =>
        string.Create(CultureInfo.InvariantCulture, $"{district}|{gender}|{count}|{sum}|{avg:F6}|{min}|{max}");

    private static List<string> Lines(JsonNode answer) => answer["groups"]!.AsArray().Select(g => Line(
        g!["district"]!.GetValue<string>(), g["gender"]!.GetValue<string>(), g["count"]!.GetValue<long>(), g["sum_income"]!.GetValue<long>(),
        g["avg_income"]!.GetValue<double>(), g["min_income"]!.GetValue<long>(), g["max_income"]!.GetValue<long>())).ToList();

    [DatabaseTheory, OnEachDatabase]
    public async Task An_open_aggregate_is_exactly_the_databases_own_group_by(string db)
    {
        var host = await hosts.GetAsync(db);

        var answer = await PlatformHost.ReadJsonAsync(await AggregateAsync(host.Anonymous(), Open,
            Q("district, gender", "count,sum(income),avg(income),min(income),max(income)", "income >= 2000 and district != '江北区'")));

        // The direct query filters on income; the district condition is applied here, to its groups.
        var expected = (await DirectGroupByAsync(host, Open, "income >= 2000")).Where(e => !e.StartsWith("江北区", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, Lines(answer));
        Assert.Equal("exact", answer["disclosure"]!["mode"]!.GetValue<string>());
        Assert.All(answer["groups"]!.AsArray(), g => Assert.False(g!["suppressed"]!.GetValue<bool>()));
        Assert.Equal(1, answer["version"]!.GetValue<int>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Without_group_by_one_group_counts_every_row_and_sums_keep_their_kind(string db)
    {
        var host = await hosts.GetAsync(db);

        var answer = await PlatformHost.ReadJsonAsync(await AggregateAsync(host.Anonymous(), Open, "measures=count,sum(size),max(size),min(income)"));

        var group = Assert.Single(answer["groups"]!.AsArray())!;
        Assert.Equal(Rows, group["count"]!.GetValue<long>());
        // sizes 1, 1.5, 2, 2.5 cycling: 22 full cycles (7 each) and 1 + 1.5.
        Assert.Equal(22 * 7 + 2.5m, group["sum_size"]!.GetValue<decimal>());
        Assert.Equal(2.5m, group["max_size"]!.GetValue<decimal>());
        Assert.Equal(1000, group["min_income"]!.GetValue<long>());
        // count only when measures are left out; an empty where selects nothing.
        var counted = await PlatformHost.ReadJsonAsync(await AggregateAsync(host.Anonymous(), Open, "group_by=district&where=" + Uri.EscapeDataString("income < 0")));
        Assert.Empty(counted["groups"]!.AsArray());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_column_the_caller_does_not_see_in_clear_is_neither_grouped_nor_measured(string db)
    {
        var host = await hosts.GetAsync(db);
        var anonymous = host.Anonymous();

        // head is a name: masked for open callers; counting by it would say how many households each (unmasked) name heads.
        await ProblemAssert.IsProblemAsync(await AggregateAsync(anonymous, Open, "group_by=head"), HttpStatusCode.BadRequest, "aggregate.column_not_groupable");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(anonymous, Open, "measures=" + Uri.EscapeDataString("max(head)")), HttpStatusCode.BadRequest, "aggregate.column_not_groupable");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(anonymous, Open, "group_by=district&where=" + Uri.EscapeDataString("head = '户主1'")), HttpStatusCode.BadRequest, "query.column_not_filterable");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(anonymous, Open, "measures=" + Uri.EscapeDataString("sum(district)")), HttpStatusCode.BadRequest, "aggregate.invalid_measure");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(anonymous, Open, "measures=" + Uri.EscapeDataString("median(income)")), HttpStatusCode.BadRequest, "aggregate.invalid_measure");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(anonymous, Open, "group_by=district,district"), HttpStatusCode.BadRequest, "aggregate.invalid_group_by");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(anonymous, Open, "group_by=distrct"), HttpStatusCode.BadRequest, "query.unknown_column");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(anonymous, Open, "where=" + Uri.EscapeDataString("income >")), HttpStatusCode.BadRequest, "query.syntax");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(anonymous, "agg-no-such", "group_by=district"), HttpStatusCode.NotFound, "dataset.not_found");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Restricted_data_is_aggregated_only_by_a_grantee_and_only_on_its_granted_columns(string db)
    {
        var host = await hosts.GetAsync(db);
        var tenant = "agg-grantee-" + db;
        var consumer = Consumer(host, tenant);

        await ProblemAssert.IsProblemAsync(await AggregateAsync(host.Anonymous(), Restricted, "group_by=district"), HttpStatusCode.Unauthorized, "auth.token_required");
        await ProblemAssert.IsProblemAsync(await AggregateAsync(consumer, Restricted, "group_by=district"), HttpStatusCode.Forbidden, "access.grant_required");

        var request = (await SubmitAsync(consumer, Restricted, new[] { "district", "income" }))["id"]!.GetValue<string>();
        await PlatformHost.ReadJsonAsync(await DecideAsync(Reviewer(host, Owner), request, "approve"));

        var answer = await PlatformHost.ReadJsonAsync(await AggregateAsync(consumer, Restricted, Q("district", "count,sum(income)")));
        // Groups come in the database's order of their values (its collation); compared here as a set.
        Assert.Equal(Districts.Order(StringComparer.Ordinal), answer["groups"]!.AsArray().Select(g => g!["district"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal([30L, 30L, 30L], answer["groups"]!.AsArray().Select(g => g!["count"]!.GetValue<long>()));
        // gender is outside the grant: hidden, so it is not grouped.
        await ProblemAssert.IsProblemAsync(await AggregateAsync(consumer, Restricted, "group_by=gender"), HttpStatusCode.BadRequest, "aggregate.column_not_groupable");

        // The owner's audit shows the aggregate, its columns and its groups, never a value.
        var entries = (await PlatformHost.ReadJsonAsync(await AccessScenarios.Platform(host).GetAsync("/v1/audit?type=aggregate.read")))["items"]!.AsArray()
            .Where(e => e!["actorTenant"]!.GetValue<string>() == tenant).ToList();
        var entry = Assert.Single(entries)!;
        Assert.Equal(Restricted, entry["datasetId"]!.GetValue<string>());
        Assert.Equal(3, entry["details"]!["rows"]!.GetValue<long>());
        Assert.Equal(["district", "income"], entry["details"]!["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(64, entry["details"]!["queryHash"]!.GetValue<string>().Length);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Each_group_spends_a_row_of_the_daily_quota(string db)
    {
        var host = await hosts.GetAsync(db);
        var tenant = "agg-quota-" + db;
        await QuotaScenarios.CreateTenantAsync(host, tenant, "free", new { dailyRows = 4 });
        var client = Consumer(host, tenant);

        // Six groups do not fit in four rows: refused whole, never cut.
        await ProblemAssert.IsProblemAsync(await AggregateAsync(client, Open, "group_by=district,gender"), HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        // Three do; the one row left then holds no second answer of three groups, but one of a single group.
        Assert.Equal(3, (await PlatformHost.ReadJsonAsync(await AggregateAsync(client, Open, "group_by=district")))["groups"]!.AsArray().Count);
        await ProblemAssert.IsProblemAsync(await AggregateAsync(client, Open, "group_by=district"), HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        Assert.Single((await PlatformHost.ReadJsonAsync(await AggregateAsync(client, Open, "measures=count")))["groups"]!.AsArray());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task GraphQL_answers_what_REST_answers(string db)
    {
        var host = await hosts.GetAsync(db);
        var rest = await PlatformHost.ReadJsonAsync(await AggregateAsync(host.Anonymous(), Open, Q("district", "count,sum(income)", "gender = '男'")));

        var answer = await GraphQLCalls.PostAsync(host.Anonymous(),
            """{ dataset(id: "agg-households-open") { aggregate(groupBy: ["district"], measures: ["count", "sum(income)"], where: "gender = '男'") { groups disclosure version } } }""");

        var aggregate = answer.Ok()["dataset"]!["aggregate"]!;
        Assert.Equal(rest["groups"]!.ToJsonString(), aggregate["groups"]!.ToJsonString());
        Assert.Equal("exact", aggregate["disclosure"]!["mode"]!.GetValue<string>());
        var refused = await GraphQLCalls.PostAsync(host.Anonymous(), """{ dataset(id: "agg-households-open") { aggregate(groupBy: ["head"]) { groups } } }""");
        Assert.Contains("aggregate.column_not_groupable", refused.Codes);
    }
}
