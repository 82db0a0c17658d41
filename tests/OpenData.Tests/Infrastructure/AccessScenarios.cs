using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OpenData.Tests.Infrastructure;

/// <summary>The parties of access to restricted data and the steps they take, shared by every test that needs a request or a grant.</summary>
internal static class AccessScenarios
{
    public const string Restricted = "hotline-12345-requests";
    public const string RestrictedOwner = "ningbo-12345-hotline";
    public const string Sensitive = "sensitive-cases";
    public const string SensitiveOwner = "ningbo-civil-affairs";

    public static HttpClient Consumer(PlatformHost host, string tenant) => host.As(tenant, "catalogue:read", "records:read", "access:request");

    public static HttpClient Reviewer(PlatformHost host, string owner) => host.As(owner, "catalogue:read", "records:read", "access:review", "datasets:write");

    public static HttpClient Platform(PlatformHost host) => host.As("platform", "platform:admin", "access:review", "catalogue:read", "records:read");

    /// <summary>A sensitive (L3) dataset of a few rows, owned by the civil affairs bureau.</summary>
    public static async Task CreateSensitiveAsync(PlatformHost host)
    {
        var owner = Reviewer(host, SensitiveOwner);
        var response = await owner.PostAsJsonAsync("/v1/datasets", new
        {
            id = Sensitive, title = "Sensitive cases", description = "L3 test data", theme = "social-security", classification = "sensitive",
            license = "Restricted", updateFrequency = "irregular",
            columns = new object[] { new { name = "caseNo", type = "string" }, new { name = "person", type = "string", tag = "pii.name" }, new { name = "benefit", type = "integer" } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal("succeeded", (await host.UploadAsync(owner, Sensitive, "caseNo,person,benefit\nC1,王小明,1200\nC2,李娜,800\n")).GetProperty("status").GetString());
    }

    public static async Task<JsonNode> SubmitAsync(HttpClient consumer, string dataset, object? columns = null, int durationDays = 30)
    {
        var response = await consumer.PostAsJsonAsync("/v1/access-requests", new
        {
            datasetId = dataset, columns, purpose = "Research on response times of public services", durationDays,
        });
        return await PlatformHost.ReadJsonAsync(response, HttpStatusCode.Created);
    }

    public static Task<HttpResponseMessage> DecideAsync(HttpClient reviewer, string id, string decision, object? columns = null, DateTimeOffset? expiresAt = null) =>
        reviewer.PostAsJsonAsync($"/v1/access-requests/{id}/decision", new { decision, reason = "decided by a test", columns, expiresAt });

    /// <summary>A consumer asks, the owner approves, the consumer reads twice, the owner revokes: the trail of a grant's life.</summary>
    public static async Task<string> GrantLifeAsync(PlatformHost host)
    {
        var consumer = Consumer(host, "audited");
        var owner = Reviewer(host, RestrictedOwner);
        var id = (await SubmitAsync(consumer, Restricted, new[] { "ticketNo", "district" }))["id"]!.GetValue<string>();
        var grant = (await PlatformHost.ReadJsonAsync(await DecideAsync(owner, id, "approve")))["grantId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync($"/v1/datasets/{Restricted}/records?limit=3")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync($"/v1/datasets/{Restricted}/records?limit=2&where=district%20%3D%20%27%E6%B5%B7%E6%9B%99%E5%8C%BA%27")).StatusCode);
        await PlatformHost.ReadJsonAsync(await owner.PostAsJsonAsync($"/v1/grants/{grant}/revoke", new { reason = "done" }));
        return id;
    }
}
