using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;
using static OpenData.Tests.Infrastructure.GraphQLCalls;

namespace OpenData.Tests.Risk;

/// <summary>
/// Re-identification risk on each database. The attack: a consumer who knows a neighbour's district, birth year and gender looks
/// for the one row that matches. The reviewer's need: before approving, see how many rows a grant of the asked-for columns would
/// leave alone in their group, counted on the values the grant would show (a district, not the address; a year, not the date).
/// </summary>
public sealed class RiskTests(RiskTests.ResidentHosts hosts) : IClassFixture<RiskTests.ResidentHosts>
{
    private const string OpenResidents = "risk-residents-open";
    private const string RestrictedResidents = "risk-residents-restricted";
    private const string Owner = "ningbo-civil-affairs";
    private const int Rows = 14;

    /// <summary>One host per database holding the residents twice, as open and as restricted data.</summary>
    public sealed class ResidentHosts : SeededHosts
    {
        protected override async Task PrepareAsync(PlatformHost host)
        {
            await CreateResidentsAsync(host, OpenResidents, "open");
            await CreateResidentsAsync(host, RestrictedResidents, "restricted");
        }
    }

    /// <summary>
    /// Fourteen residents, each with a birth date and an address of their own: 5 men of 海曙区 born in March 1980, 2 women of 海曙区
    /// born in March 1980, 6 men of 鄞州区 born in July 1990, and one woman of 海曙区 born in July 1990, alone in her district × year.
    /// </summary>
    private static async Task CreateResidentsAsync(PlatformHost host, string id, string classification)
    {
        var owner = Reviewer(host, Owner);
        var response = await owner.PostAsJsonAsync("/v1/datasets", new
        {
            id, title = "Residents", description = "made-up residents", theme = "public-services", classification,
            license = "CC-BY-4.0", updateFrequency = "irregular",
            columns = new object[]
            {
                new { name = "name", type = "string", tag = "pii.name" },
                new { name = "birthDate", type = "date", tag = "date.birth" },
                new { name = "district", type = "string", tag = "geo.district" },
                new { name = "gender", type = "string", tag = "person.gender" },
                new { name = "address", type = "string", tag = "pii.address" },
                new { name = "note", type = "string" },
            },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var csv = new StringBuilder("name,birthDate,district,gender,address,note\n");
        var n = 0;
        void Add(int count, string birth, int firstDay, string district, string gender)
        {
            for (var i = 0; i < count; i++)
            {
                n++;
                csv.Append($"居民{n},{birth}-{firstDay + i:00},{district},{gender},浙江省宁波市{district}中山路{n}号,-\n");
            }
        }
        Add(5, "1980-03", 1, "海曙区", "男");
        Add(2, "1980-03", 10, "海曙区", "女");
        Add(6, "1990-07", 1, "鄞州区", "男");
        Add(1, "1990-07", 20, "海曙区", "女");
        Assert.Equal(Rows, n);
        var job = await host.UploadAsync(owner, id, csv.ToString());
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
    }

    private static async Task<JsonNode> RiskAsync(HttpClient client, string dataset, string? columns = null) =>
        await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{dataset}/risk" + (columns is null ? "" : "?columns=" + Uri.EscapeDataString(columns))));

    private static void AssertRisk(JsonNode risk, long? minK, int below5, string[] quasiIdentifiers, int classes)
    {
        Assert.Equal(minK, risk["minK"]?.GetValue<long>());
        Assert.Equal((double)below5 / Rows, risk["shareBelow5"]!.GetValue<double>());
        Assert.Equal(quasiIdentifiers, risk["quasiIdentifiers"]!.AsArray().Select(q => q!.GetValue<string>()));
        Assert.Equal(Rows, risk["rows"]!.GetValue<long>());
        Assert.Equal(classes, risk["classes"]!.GetValue<long>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_one_resident_alone_in_her_district_and_birth_year_shows_as_k_1(string db)
    {
        var host = await hosts.GetAsync(db);

        var risk = await RiskAsync(Reviewer(host, Owner), OpenResidents);

        // Open callers see birth years and the district of each address, so dates and addresses that are each one's own do not make
        // every row unique: the rows form 4 groups (5, 2, 6 and 1). The 2 women of 1980 and the one of 1990 are in groups under 5.
        AssertRisk(risk, 1, 3, ["birthDate", "district", "gender", "address"], 4);
        Assert.Equal("open", risk["level"]!.GetValue<string>());
        Assert.Equal(1, risk["version"]!.GetValue<int>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Fewer_quasi_identifiers_raise_k(string db)
    {
        var host = await hosts.GetAsync(db);
        var owner = Reviewer(host, Owner);

        // Without gender the 1980 residents of 海曙区 form one group of 7; she is still alone.
        AssertRisk(await RiskAsync(owner, OpenResidents, "district,birthDate"), 1, 1, ["birthDate", "district"], 3);
        // Without the birth year she hides among the 3 women of 海曙区.
        AssertRisk(await RiskAsync(owner, OpenResidents, "district, gender"), 3, 3, ["district", "gender"], 3);
        // The district alone: 8 and 6.
        AssertRisk(await RiskAsync(owner, OpenResidents, "district"), 6, 0, ["district"], 2);
        // No quasi-identifier at all: every row looks alike.
        AssertRisk(await RiskAsync(owner, OpenResidents, "name,note"), Rows, 0, [], 1);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Restricted_data_is_measured_as_a_grant_would_show_it(string db)
    {
        var host = await hosts.GetAsync(db);
        var owner = Reviewer(host, Owner);

        // A grant shows the full address, and every resident has one of their own: all 14 are unique.
        var all = await RiskAsync(owner, RestrictedResidents);
        AssertRisk(all, 1, Rows, ["birthDate", "district", "gender", "address"], Rows);
        Assert.Equal("granted", all["level"]!.GetValue<string>());
        // A grant shows the birth month, not the date: the same groups as the open view's years.
        AssertRisk(await RiskAsync(owner, RestrictedResidents, "birthDate,district,gender"), 1, 3, ["birthDate", "district", "gender"], 4);
        // The operator reviews sensitive requests and may ask too.
        AssertRisk(await RiskAsync(AccessScenarios.Platform(host), RestrictedResidents, "district"), 6, 0, ["district"], 2);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Only_the_owner_and_the_platform_see_the_risk(string db)
    {
        var host = await hosts.GetAsync(db);

        // The figure says who is unique: a consumer would learn which combinations to look for.
        await ProblemAssert.IsProblemAsync(await Consumer(host, "risk-curious").GetAsync($"/v1/datasets/{OpenResidents}/risk"), HttpStatusCode.Forbidden, "risk.not_reviewer");
        await ProblemAssert.IsProblemAsync(await Reviewer(host, "ningbo-12345-hotline").GetAsync($"/v1/datasets/{OpenResidents}/risk"), HttpStatusCode.Forbidden, "risk.not_reviewer");
        var anonymous = await host.Anonymous().GetAsync($"/v1/datasets/{OpenResidents}/risk");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await ProblemAssert.IsProblemAsync(await Reviewer(host, Owner).GetAsync($"/v1/datasets/{OpenResidents}/risk?columns=district,postcode"),
            HttpStatusCode.BadRequest, "query.unknown_column");
        await ProblemAssert.IsProblemAsync(await Reviewer(host, Owner).GetAsync("/v1/datasets/no-such-dataset/risk"), HttpStatusCode.NotFound, "dataset.not_found");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_reviewer_sees_the_risk_of_what_a_request_asks_for_and_the_requester_does_not(string db)
    {
        var host = await hosts.GetAsync(db);
        var owner = Reviewer(host, Owner);
        var greedy = Consumer(host, "risk-greedy");
        var modest = Consumer(host, "risk-modest");

        var everything = (await SubmitAsync(greedy, RestrictedResidents))["id"]!.GetValue<string>();
        var some = (await SubmitAsync(modest, RestrictedResidents, new[] { "name", "district", "gender" }))["id"]!.GetValue<string>();

        var seen = await PlatformHost.ReadJsonAsync(await owner.GetAsync($"/v1/access-requests/{everything}"));
        AssertRisk(seen["risk"]!, 1, Rows, ["birthDate", "district", "gender", "address"], Rows);
        seen = await PlatformHost.ReadJsonAsync(await owner.GetAsync($"/v1/access-requests/{some}"));
        AssertRisk(seen["risk"]!, 3, 3, ["district", "gender"], 3);

        var list = await PlatformHost.ReadJsonAsync(await owner.GetAsync("/v1/access-requests?role=reviewer"));
        var listed = list["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == some)!;
        AssertRisk(listed["risk"]!, 3, 3, ["district", "gender"], 3);

        // The requester learns nothing about rows it may not read yet.
        var own = await PlatformHost.ReadJsonAsync(await modest.GetAsync($"/v1/access-requests/{some}"));
        Assert.Null(own["risk"]);
        Assert.All((await PlatformHost.ReadJsonAsync(await modest.GetAsync("/v1/access-requests?role=requester")))["items"]!.AsArray(), i => Assert.Null(i!["risk"]));

        // Approving only the district: the answer measures what the grant gives.
        var approved = await PlatformHost.ReadJsonAsync(await DecideAsync(owner, everything, "approve", new[] { "district" }));
        AssertRisk(approved["risk"]!, 6, 0, ["district"], 2);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_reviewer_sees_the_risk_over_GraphQL_too(string db)
    {
        var host = await hosts.GetAsync(db);
        var requester = Consumer(host, "risk-graphql");
        var id = (await SubmitAsync(requester, RestrictedResidents, new[] { "birthDate", "district" }))["id"]!.GetValue<string>();
        const string Query = "query R($id: ID!) { accessRequest(id: $id) { id risk { minK shareBelow5 quasiIdentifiers rows classes level } } }";

        var risk = (await PostAsync(Reviewer(host, Owner), Query, new { id })).Ok()["accessRequest"]!["risk"]!;

        AssertRisk(risk, 1, 1, ["birthDate", "district"], 3);
        Assert.Equal("granted", risk["level"]!.GetValue<string>());
        Assert.Null((await PostAsync(requester, Query, new { id })).Ok()["accessRequest"]!["risk"]);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_seeded_hotline_shows_its_reviewer_that_a_full_address_singles_callers_out(string db)
    {
        var host = await hosts.GetAsync(db);
        // Restricted and RestrictedOwner: the seeded 12345 hotline requests and their owner.
        var owner = Reviewer(host, RestrictedOwner);

        var all = await RiskAsync(owner, Restricted);
        Assert.Equal(["address", "district"], all["quasiIdentifiers"]!.AsArray().Select(q => q!.GetValue<string>()));
        Assert.Equal(1, all["minK"]!.GetValue<long>());
        var district = await RiskAsync(owner, Restricted, "ticketNo,district,category");
        Assert.Equal(["district"], district["quasiIdentifiers"]!.AsArray().Select(q => q!.GetValue<string>()));
        Assert.Equal(0, district["shareBelow5"]!.GetValue<double>());
        Assert.Equal(10, district["classes"]!.GetValue<long>());
        Assert.Equal(1000, district["rows"]!.GetValue<long>());
    }
}
