using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Sandbox;

/// <summary>
/// Sandbox webhooks and simulated events (<c>POST /v1/sandbox/events</c>): each environment's webhooks get only its own events, see and
/// touch only their own kind, are signed alike, and a simulated failing receiver runs through the real retries.
/// </summary>
public sealed class SandboxEventsTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["OpenData:Webhooks:AllowPrivateAddresses"] = "true",
        ["OpenData:Webhooks:PollMilliseconds"] = "100",
        ["OpenData:Webhooks:SandboxRetryMilliseconds"] = "100",
    };

    private static HttpClient LiveAdmin(PlatformHost host, string tenant) => host.As(tenant, "tenant:admin", "catalogue:read", "records:read");

    private static HttpClient SandboxAdmin(PlatformHost host, string tenant) => host.AsIn("sandbox", tenant, "tenant:admin", "catalogue:read", "records:read");

    private static async Task<string> RegisterAsync(HttpClient admin, string url, string secret, string environment)
    {
        var created = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync("/v1/webhooks", new { url, secret }), HttpStatusCode.Created);
        Assert.Equal(environment, created["environment"]!.GetValue<string>());
        return created["id"]!.GetValue<string>();
    }

    private static void AssertSigned(string signature, string body, string secret)
    {
        var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts["t"] + "." + body)));
        Assert.Equal(expected, parts["v1"]);
    }

    private static async Task<long> DeliveriesOfAsync(PlatformHost host, string webhookId) =>
        Convert.ToInt64(await host.QueryScalarAsync($"SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = '{webhookId}'"), System.Globalization.CultureInfo.InvariantCulture);

    [DatabaseTheory, OnEachDatabase]
    public async Task Live_and_sandbox_webhooks_get_only_their_own_events_signed_alike(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings);
        using var liveHook = new WebhookListener();
        using var sandboxHook = new WebhookListener();
        const string LiveSecret = "live-secret-0123456789";
        const string SandboxSecret = "sandbox-secret-0123456789";
        var live = await RegisterAsync(LiveAdmin(host, RestrictedOwner), liveHook.Url, LiveSecret, "live");
        var sandbox = await RegisterAsync(SandboxAdmin(host, RestrictedOwner), sandboxHook.Url, SandboxSecret, "sandbox");

        // Each environment lists, reads and stops only its own webhooks; the other's answer as none.
        Assert.Equal([live], (await PlatformHost.ReadJsonAsync(await LiveAdmin(host, RestrictedOwner).GetAsync("/v1/webhooks")))["items"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()));
        var listed = Assert.Single((await PlatformHost.ReadJsonAsync(await SandboxAdmin(host, RestrictedOwner).GetAsync("/v1/webhooks")))["items"]!.AsArray());
        Assert.Equal(sandbox, listed!["id"]!.GetValue<string>());
        // A sandbox webhook subscribes to the sandbox's own events too when it names none.
        Assert.Contains("dataset.schema_changed", listed["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        await ProblemAssert.IsProblemAsync(await SandboxAdmin(host, RestrictedOwner).GetAsync($"/v1/webhooks/{live}/deliveries"), HttpStatusCode.NotFound, "webhook.not_found");
        await ProblemAssert.IsProblemAsync(await SandboxAdmin(host, RestrictedOwner).DeleteAsync($"/v1/webhooks/{live}"), HttpStatusCode.NotFound, "webhook.not_found");
        await ProblemAssert.IsProblemAsync(await LiveAdmin(host, RestrictedOwner).DeleteAsync($"/v1/webhooks/{sandbox}"), HttpStatusCode.NotFound, "webhook.not_found");
        // A live webhook cannot subscribe to the sandbox-only events.
        await ProblemAssert.IsProblemAsync(await LiveAdmin(host, RestrictedOwner).PostAsJsonAsync("/v1/webhooks",
            new { url = liveHook.Url, events = new[] { "dataset.schema_changed" } }), HttpStatusCode.BadRequest, "request.validation");

        // A live event reaches the live webhook only.
        await SubmitAsync(Consumer(host, "live-consumer"), Restricted);
        var submitted = await liveHook.WaitForAsync("access_request.submitted");
        AssertSigned(submitted.Signature, submitted.Body, LiveSecret);
        Assert.Null(JsonNode.Parse(submitted.Body)!["environment"]);
        Assert.Equal(0, await DeliveriesOfAsync(host, sandbox));

        // A simulated one reaches the sandbox webhook only, signed the same way, marked sandbox, with made-up ids.
        var raised = await PlatformHost.ReadJsonAsync(await SandboxAdmin(host, RestrictedOwner).PostAsJsonAsync("/v1/sandbox/events",
            new { type = "access_request.submitted", datasetId = Restricted }), HttpStatusCode.Accepted);
        var delivery = Assert.Single(raised["deliveries"]!.AsArray())!.GetValue<string>();
        Assert.Equal("sandbox", raised["environment"]!.GetValue<string>());
        var simulated = await sandboxHook.WaitForAsync("access_request.submitted");
        Assert.Equal(delivery, simulated.Delivery);
        AssertSigned(simulated.Signature, simulated.Body, SandboxSecret);
        var body = JsonNode.Parse(simulated.Body)!;
        Assert.Equal("sandbox", body["environment"]!.GetValue<string>());
        Assert.Equal(RestrictedOwner, body["tenant"]!.GetValue<string>());
        Assert.Equal(Restricted, body["data"]!["datasetId"]!.GetValue<string>());
        Assert.StartsWith("ar_sbx_", body["data"]!["request"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await DeliveriesOfAsync(host, live));
        Assert.Single(liveHook.Received);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Simulated_events_take_sandbox_tokens_and_known_types_only(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings);
        var sandbox = host.AsIn("sandbox", "sbx-events", "catalogue:read", "records:read");
        var mismatch = await ProblemAssert.IsProblemAsync(await host.As("sbx-events", "tenant:admin", "records:read").PostAsJsonAsync("/v1/sandbox/events",
            new { type = "grant.revoked" }), HttpStatusCode.Forbidden, "env.mismatch");
        Assert.Contains("live credential", mismatch["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous().PostAsJsonAsync("/v1/sandbox/events", new { type = "grant.revoked" })).StatusCode);

        var unknown = await ProblemAssert.IsProblemAsync(await sandbox.PostAsJsonAsync("/v1/sandbox/events", new { type = "grant.exploded" }),
            HttpStatusCode.BadRequest, "sandbox.event_type_unknown");
        Assert.Contains("grant.revoked", unknown["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("dataset.version_published", unknown["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await sandbox.PostAsJsonAsync("/v1/sandbox/events", new { }), HttpStatusCode.BadRequest, "sandbox.event_type_unknown");
        await ProblemAssert.IsProblemAsync(await sandbox.PostAsJsonAsync("/v1/sandbox/events", new { type = "grant.revoked", simulate = "fail_forever" }),
            HttpStatusCode.BadRequest, "sandbox.simulation_unknown");
        await ProblemAssert.IsProblemAsync(await sandbox.PostAsJsonAsync("/v1/sandbox/events", new { type = "grant.revoked", datasetId = "no-such-dataset" }),
            HttpStatusCode.NotFound, "dataset.not_found");

        // No sandbox webhook subscribed: accepted, delivered nowhere, and said so.
        var nowhere = await PlatformHost.ReadJsonAsync(await sandbox.PostAsJsonAsync("/v1/sandbox/events", new { type = "dataset.version_published" }), HttpStatusCode.Accepted);
        Assert.Empty(nowhere["deliveries"]!.AsArray());
        Assert.Contains("no sandbox webhook", nowhere["note"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Fail_twice_fails_two_attempts_through_the_real_retries_then_delivers(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings);
        using var hook = new WebhookListener();
        var admin = SandboxAdmin(host, "sbx-retries");
        var webhook = await RegisterAsync(admin, hook.Url, "retry-secret-0123456789", "sandbox");
        var raised = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync("/v1/sandbox/events",
            new { type = "dataset.schema_changed", simulate = "fail_twice" }), HttpStatusCode.Accepted);
        var delivery = Assert.Single(raised["deliveries"]!.AsArray())!.GetValue<string>();

        JsonNode? logged = null;
        var seen = new List<(string Status, int Attempts, string? Error)>();
        for (var i = 0; i < 300 && logged?["status"]?.GetValue<string>() != "delivered"; i++)
        {
            await Task.Delay(50);
            logged = (await PlatformHost.ReadJsonAsync(await admin.GetAsync($"/v1/webhooks/{webhook}/deliveries")))["items"]![0];
            seen.Add((logged!["status"]!.GetValue<string>(), logged["attempts"]!.GetValue<int>(), logged["lastError"]?.GetValue<string>()));
        }
        Assert.Equal("delivered", logged!["status"]!.GetValue<string>());
        Assert.Equal(delivery, logged["id"]!.GetValue<string>());
        // Three attempts though the receiver answered 204 each time: the first two counted as the simulated failures.
        Assert.Equal(3, logged["attempts"]!.GetValue<int>());
        Assert.Null(logged["lastError"]);
        Assert.All(seen.Where(s => s.Status == "retrying"), s => Assert.Equal("simulated_failure", s.Error));
        Assert.Equal(3, hook.Received.Count(r => r.Delivery == delivery));
        Assert.All(hook.Received, r => AssertSigned(r.Signature, r.Body, "retry-secret-0123456789"));
        var body = JsonNode.Parse(hook.Received.First().Body)!;
        Assert.Equal("fail_twice", body["simulate"]!.GetValue<string>());
        Assert.Equal(4, body["data"]!["version"]!.GetValue<int>());
    }
}
