using System.Net;
using System.Net.Http.Json;

namespace OpenData.Tests.Infrastructure;

/// <summary>Hosts with small, known plans, tenants on a plan, and the RateLimit headers read back: shared by the quota tests of REST and GraphQL.</summary>
internal static class QuotaScenarios
{
    public const string Plans = """
        plans:
          anonymous: {ratePerSecond: 1000, burst: 1000, dailyRequests: 6, dailyRows: 100000, exportRows: 100000}
          free: {ratePerSecond: 1000, burst: 1000, dailyRequests: 1000, dailyRows: 250, exportRows: 50}
          contest: {ratePerSecond: 2, burst: 2, dailyRequests: 100000, dailyRows: 1000000, exportRows: 1000000}
          partner: {ratePerSecond: 1000, burst: 1000, dailyRequests: 100000, dailyRows: 100000000, exportRows: 100000000}
          operator: {ratePerSecond: unlimited, burst: unlimited, dailyRequests: unlimited, dailyRows: unlimited, exportRows: unlimited}
        """;

    public static Task<PlatformHost> StartAsync(string db, string plans = Plans, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["OpenData:Policies:Directory"] = TestPolicies.Folder(plans: plans),
        };
        return PlatformHost.StartAsync(db, all);
    }

    public static HttpClient Operator(PlatformHost host) => host.As("platform", "platform:admin", "tenant:admin", "catalogue:read", "records:read");

    public static async Task CreateTenantAsync(PlatformHost host, string id, string plan, object? limits = null)
    {
        var op = Operator(host);
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { id, name = id, kind = "consumer", plan }), HttpStatusCode.Created);
        if (limits is not null)
        {
            await PlatformHost.ReadJsonAsync(await op.PatchAsJsonAsync($"/v1/tenants/{id}", new { limits }));
        }
    }

    /// <summary>Parses <c>"name";q=1;w=2, …</c> into name → parameters.</summary>
    public static Dictionary<string, Dictionary<string, string>> Fields(HttpResponseMessage response, string header)
    {
        Assert.True(response.Headers.TryGetValues(header, out var values), $"{header} is missing on {(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
        var result = new Dictionary<string, Dictionary<string, string>>();
        foreach (var item in string.Join(", ", values).Split(", "))
        {
            var parts = item.Split(';');
            result[parts[0].Trim('"')] = parts.Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        }
        return result;
    }
}
