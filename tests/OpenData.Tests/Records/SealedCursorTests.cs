using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Records;

/// <summary>
/// Cursors as an attacker reads them: decoded, they show nothing of the rows they point at; altered, forged in the old
/// readable format, carried to another caller or another dataset, they are refused with 400 <c>query.invalid_cursor</c>.
/// </summary>
public sealed class SealedCursorTests(SealedCursorTests.SecretHosts hosts) : IClassFixture<SealedCursorTests.SecretHosts>
{
    /// <summary>One host per database with two open datasets of the same shape and telling values.</summary>
    public sealed class SecretHosts : SeededHosts
    {
        protected override async Task PrepareAsync(PlatformHost host)
        {
            var owner = host.Owner();
            foreach (var id in new[] { "cursor-secrets", "cursor-twin" })
            {
                await host.CreateDatasetAsync(owner, id, "open", ("code", "string"), ("holder", "string"), ("amount", "integer"));
                Assert.Equal("succeeded", (await host.UploadAsync(owner, id, Csv)).GetProperty("status").GetString());
            }
        }
    }

    private static readonly string Csv = "code,holder,amount\n" + string.Concat(Enumerable.Range(1, 30).Select(i =>
        $"SECRET-CODE-{i:000},持有人{(char)('甲' + i)}{(char)('乙' + i)},{987_654_000 + i}\n"));

    private const string Page = "/v1/datasets/cursor-secrets/records?limit=3&order_by=code";

    private static async Task<string> NextAsync(HttpClient client, string url)
    {
        var page = await PlatformHost.ReadJsonAsync(await client.GetAsync(url));
        return page["next"]!.GetValue<string>();
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_decoded_cursor_shows_nothing_of_the_rows_it_points_at_and_stays_small(string db)
    {
        var host = await hosts.GetAsync(db);
        foreach (var order in new[] { "code", "holder desc", "amount,code" })
        {
            var cursor = await NextAsync(host.Anonymous(), $"/v1/datasets/cursor-secrets/records?limit=3&order_by={Uri.EscapeDataString(order)}");
            Assert.True(cursor.Length <= 120, $"{cursor.Length} characters: {cursor}");
            var bytes = Base64Url.DecodeFromChars(cursor);
            var asText = Encoding.UTF8.GetString(bytes);
            var asLatin = Encoding.Latin1.GetString(bytes);
            // The third row of each order is the last one returned: none of its values, nor any sort key, can be read back.
            foreach (var secret in new[] { "SECRET", "CODE-0", "持有人", "98765400", "987654", "cursor-secrets", "\"k\"", "\"v\"" })
            {
                Assert.DoesNotContain(secret, asText, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, asLatin, StringComparison.Ordinal);
            }
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_altered_truncated_or_hand_made_cursor_answers_400_invalid_cursor(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        var cursor = await NextAsync(client, Page);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Page}&cursor={cursor}")).StatusCode);

        var bytes = Base64Url.DecodeFromChars(cursor);
        var forgeries = new List<string>();
        for (var i = 0; i < bytes.Length; i += 3)
        {
            var altered = (byte[])bytes.Clone();
            altered[i] ^= 0x01;
            forgeries.Add(Base64Url.EncodeToString(altered));
        }
        forgeries.Add(Base64Url.EncodeToString(bytes.AsSpan(0, bytes.Length - 1)));
        forgeries.Add(Base64Url.EncodeToString([.. bytes, 0]));
        forgeries.Add(Base64Url.EncodeToString(bytes.AsSpan(0, 29)));
        // The readable cursors of earlier releases, pointing at a version, a row and keys of the attacker's choosing.
        forgeries.Add(Base64Url.EncodeToString(Encoding.UTF8.GetBytes("""{"v":1,"h":"0000000000000000","r":0,"k":["SECRET-CODE-010"]}""")));
        forgeries.Add("not-a-cursor");
        forgeries.Add(new string('A', 5000));
        foreach (var forged in forgeries)
        {
            var problem = await ProblemAssert.IsProblemAsync(await client.GetAsync($"{Page}&cursor={Uri.EscapeDataString(forged)}"), HttpStatusCode.BadRequest, "query.invalid_cursor");
            Assert.Contains("unchanged", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_cursor_works_only_for_the_caller_and_the_dataset_it_was_issued_to(string db)
    {
        var host = await hosts.GetAsync(db);
        var alice = host.As("tenant-alice", "records:read");
        var bob = host.As("tenant-bob", "records:read");
        var anonymous = host.Anonymous();

        var alices = await NextAsync(alice, Page);
        var rest = await PlatformHost.ReadJsonAsync(await alice.GetAsync($"{Page}&cursor={alices}"));
        Assert.Equal("SECRET-CODE-004", rest["items"]![0]!["code"]!.GetValue<string>());

        await ProblemAssert.IsProblemAsync(await bob.GetAsync($"{Page}&cursor={alices}"), HttpStatusCode.BadRequest, "query.invalid_cursor");
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync($"{Page}&cursor={alices}"), HttpStatusCode.BadRequest, "query.invalid_cursor");
        await ProblemAssert.IsProblemAsync(await host.Owner().GetAsync($"{Page}&cursor={alices}"), HttpStatusCode.BadRequest, "query.invalid_cursor");
        // Same shape, same order, another dataset.
        await ProblemAssert.IsProblemAsync(
            await alice.GetAsync($"/v1/datasets/cursor-twin/records?limit=3&order_by=code&cursor={alices}"), HttpStatusCode.BadRequest, "query.invalid_cursor");
        // GraphQL takes the same cursors under the same rules.
        var graph = await alice.PostAsync("/graphql", new StringContent(
            new JsonObject { ["query"] = $$"""{ dataset(id: "cursor-secrets") { records(first: 3, orderBy: "code", after: "{{alices}}") { items } } }""" }.ToJsonString(),
            Encoding.UTF8, "application/json"));
        Assert.Contains("SECRET-CODE-004", await graph.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var foreign = await bob.PostAsync("/graphql", new StringContent(
            new JsonObject { ["query"] = $$"""{ dataset(id: "cursor-secrets") { records(first: 3, orderBy: "code", after: "{{alices}}") { items } } }""" }.ToJsonString(),
            Encoding.UTF8, "application/json"));
        var body = await foreign.Content.ReadAsStringAsync();
        Assert.Contains("query.invalid_cursor", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-CODE-004", body, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Cursors_survive_a_key_rotation_and_nodes_open_each_others_cursors(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner();
        await host.CreateDatasetAsync(owner, "rotating", "open", ("n", "integer"));
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "rotating", "n\n" + string.Concat(Enumerable.Range(1, 9).Select(i => $"{i}\n")))).GetProperty("status").GetString());
        const string first = "/v1/datasets/rotating/records?limit=2";

        var before = await NextAsync(host.Anonymous(), first);
        Assert.True(host.RotateCursorKey() >= 2);
        await using var peer = await host.StartPeerAsync();
        var after = await NextAsync(peer.Anonymous(), first);
        Assert.NotEqual(Base64Url.DecodeFromChars(before)[0], Base64Url.DecodeFromChars(after)[0]);

        foreach (var (node, cursor) in new[] { (host, before), (host, after), (peer, before), (peer, after) })
        {
            var page = await PlatformHost.ReadJsonAsync(await node.Anonymous().GetAsync($"{first}&cursor={cursor}"));
            Assert.Equal([3L, 4L], page["items"]!.AsArray().Select(i => i!["n"]!.GetValue<long>()));
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Catalogue_cursors_are_sealed_too(string db)
    {
        var host = await hosts.GetAsync(db);
        var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets?limit=1"));
        var cursor = page["next"]!.GetValue<string>();
        var id = page["items"]![0]!["id"]!.GetValue<string>();
        Assert.DoesNotContain(id, Encoding.Latin1.GetString(Base64Url.DecodeFromChars(cursor)), StringComparison.Ordinal);
        var altered = Base64Url.DecodeFromChars(cursor);
        altered[^1] ^= 0x80;
        await ProblemAssert.IsProblemAsync(
            await host.Anonymous().GetAsync($"/v1/datasets?limit=1&cursor={Base64Url.EncodeToString(altered)}"), HttpStatusCode.BadRequest, "query.invalid_cursor");
    }
}
