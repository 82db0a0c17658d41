using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting.Fuzz;

/// <summary>
/// Seeded hosts with an access request, a webhook and a tenant of the fuzz's own as well, so the routes that take ids have
/// some to take; the ids are read once, before any fuzzed write can change what a caller may list.
/// </summary>
public sealed class FuzzHosts : SeededHosts
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<PlatformHost, IReadOnlyDictionary<string, string[]>> _ids = new();

    /// <summary>Ids that exist on the host, by the route segment that names them; writes take theirs from the <c>…!</c> entries.</summary>
    public async Task<IReadOnlyDictionary<string, string[]>> IdsAsync(string database)
    {
        var host = await GetAsync(database);
        return _ids[host];
    }

    protected override async Task PrepareAsync(PlatformHost host)
    {
        // Fuzzed writes (limits, disabled apps, rotated secrets) go to this tenant, so the callers' own tenants stay usable.
        var op = host.As("platform", "catalogue:read", "records:read", "access:review", "tenant:admin", "platform:admin");
        var tenant = await op.PostAsJsonAsync("/v1/tenants", new { id = "fuzz-target", name = "Fuzz target", kind = "consumer", plan = "free" });
        Assert.True(tenant.IsSuccessStatusCode, await tenant.Content.ReadAsStringAsync());
        var app = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants/fuzz-target/apps", new { name = "fuzzed" }), System.Net.HttpStatusCode.Created);
        var consumer = host.As("demo-consumer", "catalogue:read", "records:read", "access:request", "tenant:admin");
        var request = await consumer.PostAsJsonAsync("/v1/access-requests",
            new { datasetId = "hotline-12345-requests", columns = new[] { "callerName" }, purpose = "Research on response times", durationDays = 30 });
        Assert.True(request.IsSuccessStatusCode, await request.Content.ReadAsStringAsync());
        var webhook = await consumer.PostAsJsonAsync("/v1/webhooks", new { url = "https://example.org/hook", secret = "a-long-enough-webhook-secret" });
        Assert.True(webhook.IsSuccessStatusCode, await webhook.Content.ReadAsStringAsync());
        _ids[host] = await KnownIdsAsync(host, op, app["id"]!.GetValue<string>());
    }

    private static async Task<IReadOnlyDictionary<string, string[]>> KnownIdsAsync(PlatformHost host, HttpClient op, string fuzzApp)
    {
        async Task<string[]> IdsAsync(HttpClient client, string path) =>
            (await client.GetFromJsonAsync<JsonNode>(path))!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();
        var datasets = await IdsAsync(op, "/v1/datasets?limit=100");
        var columns = new List<string>();
        foreach (var id in datasets)
        {
            var detail = await op.GetFromJsonAsync<JsonNode>($"/v1/datasets/{id}");
            columns.AddRange(detail!["columns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        }
        var consumer = host.As("demo-consumer", "catalogue:read", "records:read", "access:request", "tenant:admin");
        var requests = await IdsAsync(consumer, "/v1/access-requests");
        var webhooks = await IdsAsync(consumer, "/v1/webhooks");
        string[] tenants = ["demo-consumer", "ningbo-civil-affairs", "platform", "fuzz-target"];
        string[] apps = ["app-demo-consumer", "app-demo-owner", fuzzApp];
        return new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["datasets"] = datasets, ["columns"] = columns.Distinct().ToArray(), ["tenants"] = tenants, ["tenants!"] = ["fuzz-target"],
            ["apps"] = apps, ["apps!"] = [fuzzApp], ["access-requests"] = requests, ["grants"] = ["grant-1", .. requests],
            ["webhooks"] = webhooks, ["ingestions"] = ["job-1", "1"],
            ["words"] = [.. datasets, .. columns.Distinct(), .. tenants, .. apps, "open", "2026-01-01", "中文", "true", "1"],
        };
    }
}
