using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Platform.Desensitisation.Transforms;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Desensitisation;

/// <summary>
/// The linking attack on pseudonyms, over HTTP on each database: a publisher uploads candidate ID-card numbers into a dataset
/// of its own, a tenant granted both that dataset and another one's tries to match tokens (by comparing them, or by filtering
/// one dataset with the other's token). Tokens are keyed per tenant and dataset, so nothing matches unless both owners approved
/// the policy's linkage domain in the tenant's grants; and every token of a column has one length whatever the value.
/// </summary>
public sealed class PseudonymLinkageTests
{
    // Dataset A belongs to one owner; B to a publisher who uploads the values it wants to look up.
    private const string A = "linkage-residents";
    private const string OwnerA = "ningbo-civil-affairs";
    private const string B = "linkage-candidates";
    private const string OwnerB = "ningbo-market-supervision";

    private static readonly IReadOnlyList<PiiRows.Person> People = PiiRows.Make(12);

    /// <summary>The fixed length of a token of the shipped ID-card rule (default capacity).</summary>
    private static readonly int TokenLength = Pseudonymiser.TokenLengthFor(Pseudonymiser.DefaultCapacity);

    private static async Task CreateAsync(PlatformHost host, string owner, string id, IEnumerable<(string Ticket, string IdCard)> rows, string classification = "restricted")
    {
        var client = Reviewer(host, owner);
        var response = await client.PostAsJsonAsync("/v1/datasets", new
        {
            id, title = "Residents by ID card", description = "made-up residents", theme = "social-security", classification,
            license = "Restricted", updateFrequency = "irregular",
            columns = new object[] { new { name = "ticket", type = "string" }, new { name = "idCard", type = "string", tag = "pii.id_card" } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var csv = new StringBuilder("ticket,idCard\n");
        foreach (var (ticket, idCard) in rows)
        {
            csv.Append(ticket).Append(',').Append(idCard).Append('\n');
        }
        Assert.Equal("succeeded", (await host.UploadAsync(client, id, csv.ToString())).GetProperty("status").GetString());
    }

    /// <summary>A holds the residents; B, the publisher's, holds the very same ID-card numbers as its candidates (in another order).</summary>
    private static async Task<PlatformHost> StartAsync(string db)
    {
        var host = await PlatformHost.StartAsync(db);
        await CreateAsync(host, OwnerA, A, People.Select(p => (p.Ticket, p.IdCard)));
        await CreateAsync(host, OwnerB, B, People.Reverse().Select((p, i) => ($"C{i:D4}", p.IdCard)));
        return host;
    }

    /// <summary>Asks for all columns of <paramref name="dataset"/> (with <paramref name="linkage"/>) and has its owner decide with <paramref name="approved"/>.</summary>
    private static async Task<JsonNode> GrantAsync(PlatformHost host, HttpClient consumer, string dataset, string owner, string[]? linkage = null, string[]? approved = null)
    {
        var request = await PlatformHost.ReadJsonAsync(await consumer.PostAsJsonAsync("/v1/access-requests", new
        {
            datasetId = dataset, purpose = "Matching residents across registers", durationDays = 30, linkage,
        }), HttpStatusCode.Created);
        Assert.Equal(linkage ?? [], request["linkage"]!.AsArray().Select(l => l!.GetValue<string>()));
        var decided = await PlatformHost.ReadJsonAsync(await Reviewer(host, owner).PostAsJsonAsync($"/v1/access-requests/{request["id"]!.GetValue<string>()}/decision",
            new { decision = "approve", reason = "decided by a test", linkage = approved }));
        Assert.Equal("approved", decided["status"]!.GetValue<string>());
        var grants = await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/grants"));
        return grants["items"]!.AsArray().Single(g => g!["id"]!.GetValue<string>() == decided["grantId"]!.GetValue<string>())!;
    }

    /// <summary>Each ID-card number's token as <paramref name="client"/> reads it from <paramref name="dataset"/>.</summary>
    private static async Task<Dictionary<string, string>> TokensAsync(HttpClient client, string dataset, List<string> idCards)
    {
        var page = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{dataset}/records?limit=1000&select=ticket,idCard"));
        var tickets = page["items"]!.AsArray().ToDictionary(i => i!["ticket"]!.GetValue<string>(), i => i!["idCard"]!.GetValue<string>());
        // Ticket T0007 in A and the candidate row holding the same number in B stand for one person.
        return idCards.Select((idCard, i) => (idCard, token: dataset == A ? tickets[$"T{i:D4}"] : tickets[$"C{idCards.Count - 1 - i:D4}"]))
            .ToDictionary(p => p.idCard, p => p.token);
    }

    private static Task<HttpResponseMessage> FilterAsync(HttpClient client, string dataset, string token) =>
        client.GetAsync($"/v1/datasets/{dataset}/records?select=ticket,idCard&where={Uri.EscapeDataString($"idCard = '{token}'")}");

    /// <summary>Filtering one dataset with another's token never answers a row: it is refused as a token not issued there.</summary>
    private static async Task AssertFindsNothingAsync(HttpClient client, string dataset, string token)
    {
        var response = await FilterAsync(client, dataset, token);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "query.invalid_token");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Match_nothing_across_two_datasets_tokens(string db)
    {
        await using var host = await StartAsync(db);
        var linker = Consumer(host, "linker");
        var grantA = await GrantAsync(host, linker, A, OwnerA);
        await GrantAsync(host, linker, B, OwnerB);
        Assert.Empty(grantA["linkage"]!.AsArray());
        var idCards = People.Select(p => p.IdCard).ToList();

        var inA = await TokensAsync(linker, A, idCards);
        var inB = await TokensAsync(linker, B, idCards);
        Assert.All(inA.Values.Concat(inB.Values), t => Assert.StartsWith("pt_", t, StringComparison.Ordinal));
        Assert.Equal(People.Count, inA.Values.Distinct().Count());
        // The same person, the same tenant, two datasets: two unrelated tokens.
        Assert.Empty(inA.Values.Intersect(inB.Values));

        // Each token finds its own row in its own dataset ...
        var own = await PlatformHost.ReadJsonAsync(await FilterAsync(linker, A, inA[idCards[7]]));
        Assert.Equal("T0007", Assert.Single(own["items"]!.AsArray())!["ticket"]!.GetValue<string>());
        var candidate = await PlatformHost.ReadJsonAsync(await FilterAsync(linker, B, inB[idCards[7]]));
        Assert.Single(candidate["items"]!.AsArray());
        // ... and never the other dataset's row, in either direction.
        foreach (var idCard in idCards)
        {
            await AssertFindsNothingAsync(linker, B, inA[idCard]);
            await AssertFindsNothingAsync(linker, A, inB[idCard]);
        }

        // Another tenant granted the same dataset gets other tokens for the same values.
        var other = Consumer(host, "other-analyst");
        await GrantAsync(host, other, A, OwnerA);
        var theirs = await TokensAsync(other, A, idCards);
        Assert.Empty(theirs.Values.Intersect(inA.Values));
        await AssertFindsNothingAsync(other, A, inA[idCards[7]]);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Tokens_match_across_datasets_only_when_both_owners_approve_the_linkage_domain(string db)
    {
        await using var host = await StartAsync(db);
        var idCards = People.Select(p => p.IdCard).ToList();

        // One owner approves, the other narrows the linkage away: still nothing matches.
        var half = Consumer(host, "half-linked");
        var halfA = await GrantAsync(host, half, A, OwnerA, linkage: ["person"]);
        var halfB = await GrantAsync(host, half, B, OwnerB, linkage: ["person"], approved: []);
        Assert.Equal(["person"], halfA["linkage"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Empty(halfB["linkage"]!.AsArray());
        var halfInA = await TokensAsync(half, A, idCards);
        var halfInB = await TokensAsync(half, B, idCards);
        Assert.Empty(halfInA.Values.Intersect(halfInB.Values));
        await AssertFindsNothingAsync(half, B, halfInA[idCards[3]]);
        await AssertFindsNothingAsync(half, A, halfInB[idCards[3]]);

        // Both owners approve the domain: the same person has one token in both, and a token of one finds the row in the other.
        var linked = Consumer(host, "both-linked");
        await GrantAsync(host, linked, A, OwnerA, linkage: ["person"]);
        await GrantAsync(host, linked, B, OwnerB, linkage: ["person"], approved: ["person"]);
        var inA = await TokensAsync(linked, A, idCards);
        var inB = await TokensAsync(linked, B, idCards);
        Assert.Equal(inA, inB);
        Assert.Equal(People.Count, inA.Values.Distinct().Count());
        var found = await PlatformHost.ReadJsonAsync(await FilterAsync(linked, B, inA[idCards[3]]));
        Assert.Equal(inA[idCards[3]], Assert.Single(found["items"]!.AsArray())!["idCard"]!.GetValue<string>());

        // The domain key is the tenant's own: another tenant linked the same way shares no token with it.
        Assert.Empty(inA.Values.Intersect(halfInA.Values));
        await AssertFindsNothingAsync(half, A, inA[idCards[3]]);

        // The history records what was asked and what was approved.
        var requests = await PlatformHost.ReadJsonAsync(await linked.GetAsync("/v1/access-requests?role=requester"));
        Assert.All(requests["items"]!.AsArray(), r =>
        {
            Assert.Equal(["person"], r!["linkage"]!.AsArray().Select(l => l!.GetValue<string>()));
            Assert.Equal(["person"], r["history"]![1]!["linkage"]!.AsArray().Select(l => l!.GetValue<string>()));
        });
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Read_nothing_longer_than_the_fixed_shape(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        string[] values =
        [
            "1",
            People[0].IdCard,
            new string('7', Pseudonymiser.DefaultCapacity),
            new string('7', Pseudonymiser.DefaultCapacity + 1),
            "浙江省宁波市海曙区中山西路一百号",
            string.Concat(Enumerable.Repeat(People[1].IdCard, 100)),
        ];
        await CreateAsync(host, OwnerA, A, values.Select((v, i) => ($"T{i:D4}", v)));
        var reader = Consumer(host, "length-prober");
        await GrantAsync(host, reader, A, OwnerA);

        var page = await PlatformHost.ReadJsonAsync(await reader.GetAsync($"/v1/datasets/{A}/records?limit=100&select=ticket,idCard"));
        var tokens = page["items"]!.AsArray().ToDictionary(i => i!["ticket"]!.GetValue<string>(), i => i!["idCard"]!.GetValue<string>());
        Assert.Equal(values.Length, tokens.Count);
        Assert.Equal(values.Length, tokens.Values.Distinct().Count());
        Assert.All(tokens.Values, t =>
        {
            Assert.Equal(TokenLength, t.Length);
            Assert.Matches("^pt_[a-z2-7]+$", t);
        });
        Assert.All(values, v => Assert.DoesNotContain(tokens.Values, t => t.Contains(v, StringComparison.Ordinal)));
        // Exports carry the same fixed shape.
        var csv = await reader.GetStringAsync($"/v1/datasets/{A}/records?limit=100&select=idCard&format=csv");
        Assert.All(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1), t => Assert.Equal(TokenLength, t.Length));

        // What fits in the capacity is found by its token; a longer value's token is genuine but finds nothing, by design.
        for (var i = 0; i < values.Length; i++)
        {
            var response = await FilterAsync(reader, A, tokens[$"T{i:D4}"]);
            if (Encoding.UTF8.GetByteCount(values[i]) <= Pseudonymiser.DefaultCapacity)
            {
                var found = await PlatformHost.ReadJsonAsync(response);
                Assert.Equal($"T{i:D4}", Assert.Single(found["items"]!.AsArray())!["ticket"]!.GetValue<string>());
            }
            else
            {
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "query.token_too_long");
            }
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Linkage_names_a_domain_of_the_policy_that_has_a_column_in_the_dataset(string db)
    {
        await using var host = await StartAsync(db);
        var consumer = Consumer(host, "careless");

        async Task RefusedAsync(HttpResponseMessage response) =>
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "access.invalid_linkage");
        object Ask(string dataset, object linkage, object? columns = null) =>
            new { datasetId = dataset, columns, purpose = "Matching residents across registers", durationDays = 30, linkage };

        await RefusedAsync(await consumer.PostAsJsonAsync("/v1/access-requests", Ask(A, new[] { "household" })));
        // Asked for without any column in the person domain (the hotline's ticket numbers, A's tickets), linkage would link nothing.
        await RefusedAsync(await consumer.PostAsJsonAsync("/v1/access-requests", Ask(Restricted, new[] { "person" }, new[] { "ticketNo" })));
        await RefusedAsync(await consumer.PostAsJsonAsync("/v1/access-requests", Ask(A, new[] { "person" }, new[] { "ticket" })));

        var request = await PlatformHost.ReadJsonAsync(await consumer.PostAsJsonAsync("/v1/access-requests", Ask(A, new[] { "person" })), HttpStatusCode.Created);
        var id = request["id"]!.GetValue<string>();
        var owner = Reviewer(host, OwnerA);
        await RefusedAsync(await owner.PostAsJsonAsync($"/v1/access-requests/{id}/decision", new { decision = "approve", reason = "ok", linkage = new[] { "household" } }));
        await RefusedAsync(await owner.PostAsJsonAsync($"/v1/access-requests/{id}/decision",
            new { decision = "approve", reason = "ok", columns = new[] { "ticket" }, linkage = new[] { "person" } }));
        // Narrowing the columns away from the domain's tag narrows the linkage asked for with them.
        var approved = await PlatformHost.ReadJsonAsync(await owner.PostAsJsonAsync($"/v1/access-requests/{id}/decision",
            new { decision = "approve", reason = "ok", columns = new[] { "ticket" } }));
        var grants = await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/grants"));
        var grant = grants["items"]!.AsArray().Single(g => g!["id"]!.GetValue<string>() == approved["grantId"]!.GetValue<string>())!;
        Assert.Empty(grant["linkage"]!.AsArray());
        Assert.Equal(["ticket"], grant["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task On_sensitive_data_the_platform_may_narrow_the_owners_linkage_never_widen_it(string db)
    {
        const string Sensitive = "linkage-sensitive";
        await using var host = await PlatformHost.StartAsync(db);
        await CreateAsync(host, OwnerA, Sensitive, People.Select(p => (p.Ticket, p.IdCard)), "sensitive");
        var owner = Reviewer(host, OwnerA);
        var platform = AccessScenarios.Platform(host);

        async Task<string> AskAsync(HttpClient consumer) =>
            (await PlatformHost.ReadJsonAsync(await consumer.PostAsJsonAsync("/v1/access-requests", new
            {
                datasetId = Sensitive, purpose = "Matching residents across registers", durationDays = 30, linkage = new[] { "person" },
            }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        async Task<JsonNode> DecideAsync(HttpClient reviewer, string id, string[]? linkage) =>
            await PlatformHost.ReadJsonAsync(await reviewer.PostAsJsonAsync($"/v1/access-requests/{id}/decision", new { decision = "approve", reason = "reviewed", linkage }));
        async Task<IEnumerable<string>> GrantedLinkageAsync(HttpClient consumer, JsonNode decided) =>
            (await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/grants")))["items"]!.AsArray()
                .Single(g => g!["id"]!.GetValue<string>() == decided["grantId"]!.GetValue<string>())!["linkage"]!.AsArray().Select(l => l!.GetValue<string>());

        // The owner approves what was asked; the platform, saying nothing about linkage, keeps it.
        var kept = Consumer(host, "kept-linkage");
        var first = await AskAsync(kept);
        Assert.Equal("owner_approved", (await DecideAsync(owner, first, null))["status"]!.GetValue<string>());
        Assert.Equal(["person"], await GrantedLinkageAsync(kept, await DecideAsync(platform, first, null)));

        // The owner narrows the linkage away: the platform cannot put it back.
        var narrowed = Consumer(host, "narrowed-linkage");
        var second = await AskAsync(narrowed);
        Assert.Equal("owner_approved", (await DecideAsync(owner, second, []))["status"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await platform.PostAsJsonAsync($"/v1/access-requests/{second}/decision",
            new { decision = "approve", reason = "reviewed", linkage = new[] { "person" } }), HttpStatusCode.BadRequest, "access.invalid_linkage");
        Assert.Empty(await GrantedLinkageAsync(narrowed, await DecideAsync(platform, second, null)));
    }
}
