using System.Net;
using OpenData.Platform.Policies;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Desensitisation;

/// <summary>
/// Pseudonymised columns over HTTP, with a policy folder of the test's own in which ID cards are pseudonymised at the open level:
/// tokens are stable for a tenant, differ between tenants, and equality on a token finds its row for its tenant only.
/// </summary>
public sealed class PseudonymTokenTests
{
    private const string Dataset = "people-tokens";
    private static readonly IReadOnlyList<PiiRows.Person> People = PiiRows.Make(40);

    private static async Task<PlatformHost> StartAsync(string db)
    {
        var folder = TestPolicies.Folder(text =>
        {
            var edited = text.Replace("""
                    types: [string]
                    open: hidden
                    granted: pseudonymise
                """, """
                    types: [string]
                    open: pseudonymise
                    granted: pseudonymise
                """, StringComparison.Ordinal);
            Assert.NotEqual(text, edited);
            return edited;
        });
        var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Policies:Directory"] = folder });
        await PeopleDataset.CreateAsync(host, Dataset);
        return host;
    }

    private static async Task<List<string>> TokensAsync(HttpClient client)
    {
        var page = await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{Dataset}/records?limit=1000&select=ticket,idCard"));
        return page["items"]!.AsArray().Select(i => i!["idCard"]!.GetValue<string>()).ToList();
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Tokens_are_stable_within_a_tenant_and_unlinkable_across_tenants(string db)
    {
        await using var host = await StartAsync(db);
        var a = host.As("tenant-a", "catalogue:read", "records:read");
        var b = host.As("tenant-b", "catalogue:read", "records:read");
        var first = await TokensAsync(a);
        Assert.Equal(first, await TokensAsync(a));
        var other = await TokensAsync(b);
        Assert.Equal(People.Count, first.Distinct().Count());
        Assert.All(first, t => Assert.StartsWith("pt_", t, StringComparison.Ordinal));
        Assert.Empty(first.Intersect(other));
        Assert.DoesNotContain(first, t => People.Any(p => t.Contains(p.IdCard, StringComparison.Ordinal)));

        async Task<string> IdCardVisibilityAsync(HttpClient client) =>
            (await PlatformHost.ReadJsonAsync(await client.GetAsync($"/v1/datasets/{Dataset}")))["columns"]!.AsArray()
                .Single(c => c!["name"]!.GetValue<string>() == "idCard")!["visibility"]!.GetValue<string>();
        Assert.Equal("pseudonymised", await IdCardVisibilityAsync(a));
        // Without a tenant there is no key to make a token with: the column stays hidden.
        Assert.Equal("hidden", await IdCardVisibilityAsync(host.Anonymous()));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Equality_on_a_token_finds_its_row_for_its_own_tenant_only(string db)
    {
        await using var host = await StartAsync(db);
        var a = host.As("tenant-a", "catalogue:read", "records:read");
        var b = host.As("tenant-b", "catalogue:read", "records:read");
        var tokens = await TokensAsync(a);

        var one = await PlatformHost.ReadJsonAsync(await a.GetAsync($"/v1/datasets/{Dataset}/records?select=ticket,idCard&where={Uri.EscapeDataString($"idCard = '{tokens[7]}'")}"));
        var row = Assert.Single(one["items"]!.AsArray());
        Assert.Equal("T0007", row!["ticket"]!.GetValue<string>());
        Assert.Equal(tokens[7], row["idCard"]!.GetValue<string>());

        var two = await PlatformHost.ReadJsonAsync(await a.GetAsync($"/v1/datasets/{Dataset}/records?select=ticket&where={Uri.EscapeDataString($"idCard in ('{tokens[3]}', '{tokens[30]}') and district = '{People[3].District}'")}"));
        Assert.Equal(["T0003"], two["items"]!.AsArray().Select(i => i!["ticket"]!.GetValue<string>()));

        foreach (var (client, where, code) in new[]
        {
            (b, $"idCard = '{tokens[7]}'", "query.invalid_token"),
            (a, $"idCard = '{People[7].IdCard}'", "query.invalid_token"),
            (a, $"idCard = 'pt_{new string('a', 40)}'", "query.invalid_token"),
            (a, $"idCard != '{tokens[7]}'", "query.column_not_filterable"),
            (a, $"idCard like 'pt_%'", "query.column_not_filterable"),
            (a, $"idCard > '{tokens[7]}'", "query.column_not_filterable"),
        })
        {
            var response = await client.GetAsync($"/v1/datasets/{Dataset}/records?where={Uri.EscapeDataString(where)}");
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, code);
        }
        await ProblemAssert.IsProblemAsync(await a.GetAsync($"/v1/datasets/{Dataset}/records?order_by=idCard"), HttpStatusCode.BadRequest, "query.column_not_filterable");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Tokens_survive_a_restart_because_the_master_key_is_kept(string db)
    {
        var host = await StartAsync(db);
        var a = host.As("tenant-a", "catalogue:read", "records:read");
        var before = await TokensAsync(a);
        host = await host.RestartAsync();
        await using (host)
        {
            Assert.Equal(before, await TokensAsync(host.As("tenant-a", "catalogue:read", "records:read")));
        }
    }

    [Fact]
    public async Task A_policy_with_a_mistake_stops_the_host_naming_file_and_line()
    {
        var folder = TestPolicies.Folder(text => text.Replace("open: {transform: mask, keepFirst: 3, keepLast: 4}", "open: {transform: mask, keepFirst: 3, keeplast: 4}", StringComparison.Ordinal));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => PlatformHost.StartAsync("sqlite", new Dictionary<string, string?> { ["OpenData:Policies:Directory"] = folder }));
        var policy = error as PolicyException ?? error.InnerException as PolicyException ?? (error as AggregateException)?.InnerExceptions.OfType<PolicyException>().FirstOrDefault();
        Assert.True(policy is not null, error.ToString());
        var line = File.ReadAllLines(Path.Combine(folder, "desensitisation.yaml")).ToList().FindIndex(l => l.Contains("keeplast", StringComparison.Ordinal)) + 1;
        Assert.StartsWith($"desensitisation.yaml:{line}:", Path.GetFileName(policy.Message), StringComparison.Ordinal);
        Assert.Contains("unknown key 'keeplast'", policy.Message, StringComparison.Ordinal);
    }
}
