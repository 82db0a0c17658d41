using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Webhooks;

/// <summary>Webhooks delivered from the outbox to a local listener, signed, retried, logged, and kept to their tenant.</summary>
public sealed class WebhookTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["OpenData:Webhooks:AllowPrivateAddresses"] = "true",
        ["OpenData:Webhooks:PollMilliseconds"] = "100",
    };

    private static HttpClient Admin(PlatformHost host, string tenant) => host.As(tenant, "tenant:admin", "catalogue:read", "records:read");

    private static async Task<JsonNode> RegisterAsync(PlatformHost host, string tenant, string url, string secret) =>
        await PlatformHost.ReadJsonAsync(await Admin(host, tenant).PostAsJsonAsync("/v1/webhooks", new { url, secret }), HttpStatusCode.Created);

    /// <summary>Checks <c>t=…,v1=…</c> as a receiver would: HMAC-SHA256 of "{t}.{body}" under the shared secret.</summary>
    private static void AssertSigned(string signature, string body, string secret)
    {
        var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts["t"] + "." + body)));
        Assert.Equal(expected, parts["v1"]);
        Assert.InRange(long.Parse(parts["t"], System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Access_events_reach_the_right_tenants_signed_and_logged(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings);
        using var ownerHook = new WebhookListener();
        using var consumerHook = new WebhookListener();
        const string OwnerSecret = "owner-secret-0123456789";
        const string ConsumerSecret = "consumer-secret-0123456789";
        var ownerWebhook = await RegisterAsync(host, RestrictedOwner, ownerHook.Url, OwnerSecret);
        await RegisterAsync(host, "hooked", consumerHook.Url, ConsumerSecret);
        // The secret is kept sealed, never as given.
        var stored = (string)(await host.QueryScalarAsync($"SELECT secret FROM webhooks WHERE id = '{ownerWebhook["id"]!.GetValue<string>()}'"))!;
        Assert.DoesNotContain(OwnerSecret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(OwnerSecret)), stored, StringComparison.Ordinal);

        var id = (await SubmitAsync(Consumer(host, "hooked"), Restricted, new[] { "ticketNo" }))["id"]!.GetValue<string>();
        var submitted = await ownerHook.WaitForAsync("access_request.submitted");
        AssertSigned(submitted.Signature, submitted.Body, OwnerSecret);
        Assert.Equal(id, JsonNode.Parse(submitted.Body)!["data"]!["request"]!.GetValue<string>());

        var grant = (await PlatformHost.ReadJsonAsync(await DecideAsync(Reviewer(host, RestrictedOwner), id, "approve", expiresAt: DateTimeOffset.UtcNow.AddDays(3))))["grantId"]!.GetValue<string>();
        var decided = await consumerHook.WaitForAsync("access_request.decided");
        AssertSigned(decided.Signature, decided.Body, ConsumerSecret);
        Assert.Equal("approved", JsonNode.Parse(decided.Body)!["data"]!["status"]!.GetValue<string>());
        var expiring = await consumerHook.WaitForAsync("grant.expiring");
        Assert.Equal(grant, JsonNode.Parse(expiring.Body)!["data"]!["grant"]!.GetValue<string>());

        await PlatformHost.ReadJsonAsync(await Reviewer(host, RestrictedOwner).PostAsJsonAsync($"/v1/grants/{grant}/revoke", new { reason = "audit finding" }));
        var revoked = await consumerHook.WaitForAsync("grant.revoked");
        AssertSigned(revoked.Signature, revoked.Body, ConsumerSecret);
        // Each event went only to the tenant it concerns.
        Assert.DoesNotContain(ownerHook.Received, r => r.Event is "access_request.decided" or "grant.revoked" or "grant.expiring");
        Assert.DoesNotContain(consumerHook.Received, r => r.Event == "access_request.submitted");

        // The log is the tenant's own.
        var webhookId = ownerWebhook["id"]!.GetValue<string>();
        var log = await PlatformHost.ReadJsonAsync(await Admin(host, RestrictedOwner).GetAsync($"/v1/webhooks/{webhookId}/deliveries"));
        var delivery = Assert.Single(log["items"]!.AsArray());
        Assert.Equal("delivered", delivery!["status"]!.GetValue<string>());
        Assert.Equal(204, delivery["lastStatus"]!.GetValue<int>());
        await ProblemAssert.IsProblemAsync(await Admin(host, "hooked").GetAsync($"/v1/webhooks/{webhookId}/deliveries"), HttpStatusCode.NotFound, "webhook.not_found");
        await ProblemAssert.IsProblemAsync(await Admin(host, "hooked").DeleteAsync($"/v1/webhooks/{webhookId}"), HttpStatusCode.NotFound, "webhook.not_found");
        Assert.Single((await PlatformHost.ReadJsonAsync(await Admin(host, "hooked").GetAsync("/v1/webhooks")))["items"]!.AsArray());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_failing_receiver_is_retried_with_backoff_until_it_answers(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings);
        using var hook = new WebhookListener(failFirst: 1);
        var webhook = await RegisterAsync(host, RestrictedOwner, hook.Url, "retry-secret-0123456789");
        await SubmitAsync(Consumer(host, "retried"), Restricted);
        await hook.WaitForAsync("access_request.submitted", TimeSpan.FromSeconds(30));
        Assert.Equal([500, 204], hook.Received.Select(r => r.Answered));
        JsonNode? delivery = null;
        for (var i = 0; i < 50 && delivery?["status"]?.GetValue<string>() != "delivered"; i++)
        {
            await Task.Delay(100);
            delivery = (await PlatformHost.ReadJsonAsync(await Admin(host, RestrictedOwner).GetAsync($"/v1/webhooks/{webhook["id"]!.GetValue<string>()}/deliveries")))["items"]![0];
        }
        Assert.Equal("delivered", delivery!["status"]!.GetValue<string>());
        Assert.Equal(2, delivery["attempts"]!.GetValue<int>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_analysis_jobs_decision_reaches_its_requester_without_an_output(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings);
        using var hook = new WebhookListener();
        const string Secret = "jobs-secret-0123456789";
        await RegisterAsync(host, "hooked-jobs", hook.Url, Secret);
        var submitted = await Consumer(host, "hooked-jobs").PostAsJsonAsync("/v1/analysis-jobs",
            new { datasetId = Restricted, queries = new[] { new { groupBy = new[] { "district" }, measures = new[] { "count" } } } });
        var id = (await PlatformHost.ReadJsonAsync(submitted, HttpStatusCode.Accepted))["id"]!.GetValue<string>();
        var owner = Reviewer(host, RestrictedOwner);
        for (var i = 0; i < 100 && (await PlatformHost.ReadJsonAsync(await owner.GetAsync($"/v1/analysis-jobs/{id}")))["status"]!.GetValue<string>() != "awaiting_review"; i++)
        {
            await Task.Delay(100);
        }
        await PlatformHost.ReadJsonAsync(await owner.PostAsJsonAsync($"/v1/analysis-jobs/{id}/decision", new { decision = "reject", reason = "not this time" }));

        var decided = await hook.WaitForAsync("analysis_job.decided");
        AssertSigned(decided.Signature, decided.Body, Secret);
        var data = JsonNode.Parse(decided.Body)!["data"]!;
        Assert.Equal(id, data["id"]!.GetValue<string>());
        Assert.Equal("reject", data["decision"]!.GetValue<string>());
        Assert.DoesNotContain("groups", decided.Body, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Bad_webhooks_are_refused_with_what_to_fix(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var admin = Admin(host, "careful");
        var problem = await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync("/v1/webhooks", new { url = "ftp://example.org/x", events = new[] { "nope" }, secret = "short" }),
            HttpStatusCode.BadRequest, "request.validation");
        Assert.Equal(3, problem["errors"]!.AsObject().Count);
        // Without AllowPrivateAddresses, a hook into the platform's own network is refused.
        var loopback = await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync("/v1/webhooks", new { url = "http://127.0.0.1:9/hook" }), HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("private or loopback", loopback["errors"]!["url"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var created = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync("/v1/webhooks", new { url = "https://hooks.example.org/opendata" }), HttpStatusCode.Created);
        Assert.Equal(32, created["secret"]!.GetValue<string>().Length);
        // Without events named, every live event: access, grants, monitoring, contests, analysis jobs and the marketplace.
        Assert.Equal(["access_request.submitted", "access_request.decided", "grant.expiring", "grant.revoked", "usage.anomaly",
            "verify.enumeration_suspected", "contest.registration_decided", "contest.results_published", "analysis_job.decided",
            "subscription.requested", "subscription.decided", "product.retiring"], created["events"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    /// <summary>
    /// Stopping a webhook: its pending deliveries are dropped rather than sent, it leaves the list (a second stop answers 404), and its
    /// log stays readable. The delivery worker polls only at start here, so the delivery raised afterwards stays pending until then.
    /// </summary>
    [DatabaseTheory, OnEachDatabase]
    public async Task A_stopped_webhook_drops_its_pending_deliveries_leaves_the_list_and_keeps_its_log(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Webhooks:PollMilliseconds"] = "600000" });
        var admin = Admin(host, RestrictedOwner);
        // A secret given is not answered back; events named twice are kept once.
        var stopped = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync("/v1/webhooks",
            new { url = "https://hooks.example.org/stopped", events = new[] { "access_request.submitted", "access_request.submitted" }, secret = "stopped-secret-0123456789" }),
            HttpStatusCode.Created);
        Assert.Null(stopped["secret"]);
        Assert.Equal(["access_request.submitted"], stopped["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        var kept = await RegisterAsync(host, RestrictedOwner, "https://hooks.example.org/kept", "kept-secret-0123456789");
        var id = stopped["id"]!.GetValue<string>();
        await SubmitAsync(Consumer(host, "stopping"), Restricted);
        var pending = Assert.Single((await PlatformHost.ReadJsonAsync(await admin.GetAsync($"/v1/webhooks/{id}/deliveries")))["items"]!.AsArray());
        Assert.Equal("pending", pending!["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/webhooks/{id}")).StatusCode);
        var dropped = Assert.Single((await PlatformHost.ReadJsonAsync(await admin.GetAsync($"/v1/webhooks/{id}/deliveries")))["items"]!.AsArray());
        Assert.Equal("dropped", dropped!["status"]!.GetValue<string>());
        Assert.Equal(pending["id"]!.GetValue<string>(), dropped["id"]!.GetValue<string>());
        // The other webhook and its delivery are untouched.
        var listed = Assert.Single((await PlatformHost.ReadJsonAsync(await admin.GetAsync("/v1/webhooks")))["items"]!.AsArray());
        Assert.Equal(kept["id"]!.GetValue<string>(), listed!["id"]!.GetValue<string>());
        Assert.Null(listed["secret"]);
        var other = Assert.Single((await PlatformHost.ReadJsonAsync(await admin.GetAsync($"/v1/webhooks/{kept["id"]!.GetValue<string>()}/deliveries")))["items"]!.AsArray());
        Assert.Equal("pending", other!["status"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await admin.DeleteAsync($"/v1/webhooks/{id}"), HttpStatusCode.NotFound, "webhook.not_found");
    }

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    private static Task<HttpResponseMessage> RedeliverAsync(HttpClient admin, string webhook, string delivery) =>
        admin.PostAsync($"/v1/webhooks/{webhook}/deliveries/{delivery}/redeliver", null);

    private static async Task<JsonArray> LogAsync(HttpClient admin, string webhook) =>
        (await PlatformHost.ReadJsonAsync(await admin.GetAsync($"/v1/webhooks/{webhook}/deliveries")))["items"]!.AsArray();

    /// <summary>
    /// A redelivery is a new delivery of the same event: a fresh id (in <c>X-OpenData-Delivery</c>), no attempts, a signature made when it is
    /// sent, and the very body of the first (whose <c>id</c> still names the event's first delivery). The log keeps both.
    /// </summary>
    [DatabaseTheory, OnEachDatabase]
    public async Task A_redelivery_sends_the_same_event_and_payload_again_as_a_new_signed_delivery(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings);
        using var hook = new WebhookListener();
        const string Secret = "redeliver-secret-0123456789";
        var webhook = Id(await RegisterAsync(host, RestrictedOwner, hook.Url, Secret));
        var admin = Admin(host, RestrictedOwner);
        await SubmitAsync(Consumer(host, "redelivered"), Restricted);
        var first = await hook.WaitForAsync("access_request.submitted");
        var original = Assert.Single(await LogAsync(admin, webhook))!;
        Assert.Equal(first.Delivery, Id(original));

        var response = await RedeliverAsync(admin, webhook, Id(original));
        var queued = await PlatformHost.ReadJsonAsync(response, HttpStatusCode.Accepted);
        Assert.EndsWith($"/v1/webhooks/{webhook}/deliveries", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.NotEqual(Id(original), Id(queued));
        Assert.StartsWith("wd_", Id(queued), StringComparison.Ordinal);
        Assert.Equal("access_request.submitted", queued["event"]!.GetValue<string>());
        Assert.Equal("pending", queued["status"]!.GetValue<string>());
        Assert.Equal(0, queued["attempts"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(original["payload"], queued["payload"]), queued.ToJsonString());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (hook.Received.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var again = hook.Received.Skip(1).First();
        Assert.Equal(Id(queued), again.Delivery);
        Assert.Equal("access_request.submitted", again.Event);
        Assert.Equal(first.Body, again.Body);
        AssertSigned(again.Signature, again.Body, Secret);
        Assert.Equal(Id(original), JsonNode.Parse(again.Body)!["id"]!.GetValue<string>());

        var log = await LogAsync(admin, webhook);
        Assert.Equal([Id(queued), Id(original)], log.Select(d => Id(d!)));
    }

    /// <summary>
    /// Redelivery is kept to the caller's own webhooks and their own deliveries: another tenant's webhook or delivery answers as none, a delivery of
    /// the tenant's other webhook is not this webhook's, and a stopped webhook refuses with a conflict. None of them queues anything.
    /// </summary>
    [DatabaseTheory, OnEachDatabase]
    public async Task A_redelivery_is_refused_for_other_tenants_ids_another_webhooks_delivery_and_a_stopped_webhook(string db)
    {
        // The worker polls only at start, so the deliveries stay pending and the log shows exactly what was queued.
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Webhooks:PollMilliseconds"] = "600000" });
        var owner = Admin(host, RestrictedOwner);
        var first = Id(await RegisterAsync(host, RestrictedOwner, "https://hooks.example.org/first", "first-secret-0123456789"));
        var second = Id(await RegisterAsync(host, RestrictedOwner, "https://hooks.example.org/second", "second-secret-0123456789"));
        var intruder = Admin(host, "intruder");
        var theirs = Id(await RegisterAsync(host, "intruder", "https://hooks.example.org/intruder", "intruder-secret-0123456789"));
        await SubmitAsync(Consumer(host, "asking"), Restricted);
        var delivery = Id(Assert.Single(await LogAsync(owner, first))!);
        var otherDelivery = Id(Assert.Single(await LogAsync(owner, second))!);

        // Another tenant: the owner's webhook is none of theirs, and the owner's delivery is not in their webhook's log.
        await ProblemAssert.IsProblemAsync(await RedeliverAsync(intruder, first, delivery), HttpStatusCode.NotFound, "webhook.not_found");
        await ProblemAssert.IsProblemAsync(await RedeliverAsync(intruder, theirs, delivery), HttpStatusCode.NotFound, "webhook.delivery_not_found");
        // The same tenant: a delivery of its other webhook, or of none, is not this webhook's.
        await ProblemAssert.IsProblemAsync(await RedeliverAsync(owner, first, otherDelivery), HttpStatusCode.NotFound, "webhook.delivery_not_found");
        await ProblemAssert.IsProblemAsync(await RedeliverAsync(owner, first, "wd_none"), HttpStatusCode.NotFound, "webhook.delivery_not_found");
        await ProblemAssert.IsProblemAsync(await RedeliverAsync(owner, "wh_none", delivery), HttpStatusCode.NotFound, "webhook.not_found");
        // Without tenant:admin, the route is closed.
        Assert.Equal(HttpStatusCode.Forbidden, (await RedeliverAsync(host.As(RestrictedOwner, "catalogue:read"), first, delivery)).StatusCode);

        // A stopped webhook keeps its log but takes no redelivery.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/v1/webhooks/{first}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await RedeliverAsync(owner, first, delivery), HttpStatusCode.Conflict, "webhook.stopped");
        await ProblemAssert.IsProblemAsync(await RedeliverAsync(intruder, first, delivery), HttpStatusCode.NotFound, "webhook.not_found");

        Assert.Equal("dropped", Assert.Single(await LogAsync(owner, first))!["status"]!.GetValue<string>());
        Assert.Single(await LogAsync(owner, second));
        Assert.Empty(await LogAsync(intruder, theirs));
        Assert.Equal(2L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM webhook_deliveries"), System.Globalization.CultureInfo.InvariantCulture));

        // The other webhook still takes one.
        var queued = await PlatformHost.ReadJsonAsync(await RedeliverAsync(owner, second, otherDelivery), HttpStatusCode.Accepted);
        Assert.Equal(2, (await LogAsync(owner, second)).Count);
        Assert.Equal(Id(queued), Id((await LogAsync(owner, second))[0]!));
    }
}
