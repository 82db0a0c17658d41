using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Monitoring;

/// <summary>
/// <c>/metrics</c> after a scripted workload shows every platform instrument with the workload's figures (exactly the masks, rows,
/// refusals, jobs and deliveries it caused), no label holds a value of the data or an id of a person or tenant, and callers from
/// outside the allowed networks (or off the metrics port) are answered the 404 of an unknown route.
/// </summary>
[Collection(MetricsRunAlone.Name)]
public sealed class MetricsTests
{
    private const string Owner = "ningbo-civil-affairs";
    private const string Reader = "metrics-reader-tenant";

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["OpenData:Webhooks:AllowPrivateAddresses"] = "true",
        ["OpenData:Webhooks:PollMilliseconds"] = "100",
        ["OpenData:Webhooks:SandboxRetryMilliseconds"] = "100",
    };

    internal static async Task<MetricsExposition> ScrapeAsync(PlatformHost host)
    {
        var response = await host.Anonymous().GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return MetricsExposition.Parse(text);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task After_a_scripted_workload_every_instrument_shows_its_exact_figures_and_no_label_holds_data(string db)
    {
        await using var host = await QuotaScenarios.StartAsync(db, settings: Settings);
        var id = "people-metrics-" + db;

        // Ingestion: one job of 40 rows, all accepted.
        await PeopleDataset.CreateAsync(host, id);

        // The read path: a page of 8 rows whose free-text note holds 6 mobiles, 4 ID cards, 2 bank cards and 4 e-mails
        // (PiiRows: rows 0–7), masked by the outbound check.
        var anonymous = host.Anonymous();
        (await anonymous.GetAsync($"/v1/datasets/{id}/records?limit=8&select=ticket,note")).EnsureSuccessStatusCode();
        // Then pages of one row without personal data until the anonymous plan's 6 requests of the day are spent.
        var ok = 1;
        var refused = 0;
        for (var i = 0; i < 7; i++)
        {
            var page = await anonymous.GetAsync($"/v1/datasets/{id}/records?limit=1&select=ticket");
            if (page.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await ProblemAssert.IsProblemAsync(page, HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
                refused++;
            }
            else
            {
                page.EnsureSuccessStatusCode();
                ok++;
            }
        }
        Assert.Equal(6, ok);
        Assert.Equal(2, refused);

        // Tokens: the callers' tokens are issued; one request with a wrong secret is refused.
        var badToken = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "no-such-client", ["client_secret"] = "wrong-secret-0123456789",
        }));
        Assert.True(badToken.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"a wrong secret answered {(int)badToken.StatusCode}");

        // Webhooks: a sandbox webhook whose receiver fails once, then takes the retry.
        using var hook = new WebhookListener(failFirst: 1);
        var sandboxAdmin = host.AsIn("sandbox", Reader, "tenant:admin", "catalogue:read", "records:read");
        await PlatformHost.ReadJsonAsync(await sandboxAdmin.PostAsJsonAsync("/v1/webhooks", new { url = hook.Url, secret = "metrics-secret-0123456789" }), HttpStatusCode.Created);
        await PlatformHost.ReadJsonAsync(await sandboxAdmin.PostAsJsonAsync("/v1/sandbox/events", new { type = "grant.revoked" }), HttpStatusCode.Accepted);
        await hook.WaitForAsync("grant.revoked");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!hook.Received.Any(r => r.Answered == 204) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        // Audit: the masked leaks were appended to the chain; the chain is verified once.
        var verified = await PlatformHost.ReadJsonAsync(await host.Owner(Owner).GetAsync("/v1/audit/verify"));
        Assert.True(verified["ok"]!.GetValue<bool>());

        // Delivered is recorded just after the receiver answered: wait for the counter rather than sleep.
        var metrics = await ScrapeAsync(host);
        while (metrics.Sum("opendata_webhook_deliveries_total", ("outcome", "delivered")) < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            metrics = await ScrapeAsync(host);
        }
        var records = ("route", "/v1/datasets/{id}/records");

        // Requests by route group, route, status class and plan.
        Assert.Equal(ok, metrics.Sum("opendata_requests_total", records, ("route_group", "records"), ("status_class", "2xx"), ("plan", "anonymous")));
        Assert.Equal(refused, metrics.Sum("opendata_requests_total", records, ("status_class", "4xx"), ("plan", "anonymous")));
        Assert.Equal(ok + refused, metrics.Sum("opendata_request_duration_seconds_count", records));
        Assert.Equal(ok + refused, metrics.Sum("opendata_request_duration_seconds_bucket", records, ("le", "+Inf")));
        // Rows and bytes served, by classification.
        Assert.Equal(8 + (ok - 1), metrics.Sum("opendata_records_rows_total", ("classification", "open"), ("read", "page")));
        Assert.True(metrics.Sum("opendata_records_bytes_total", ("classification", "open"), ("read", "page")) > 0, "no bytes counted");
        // Quota refusals by policy and plan.
        Assert.Equal(refused, metrics.Sum("opendata_quota_refusals_total", ("policy", "daily"), ("plan", "anonymous")));
        // The outbound check's masks by kind, exactly those of the 8 rows.
        Assert.Equal(6, metrics.Sum("opendata_outbound_leaks_masked_total", ("kind", "Mobile")));
        Assert.Equal(4, metrics.Sum("opendata_outbound_leaks_masked_total", ("kind", "IdCard")));
        Assert.Equal(2, metrics.Sum("opendata_outbound_leaks_masked_total", ("kind", "BankCard")));
        Assert.Equal(4, metrics.Sum("opendata_outbound_leaks_masked_total", ("kind", "Email")));
        Assert.All(metrics.Of("opendata_outbound_leaks_masked_total"), s => Assert.Equal(["kind"], s.Labels.Keys.Where(k => k is not ("otel_scope_name" or "otel_scope_version" or "job" or "instance"))));
        // Ingestion: one job, 40 rows accepted, none rejected.
        Assert.Equal(1, metrics.Sum("opendata_ingestion_jobs_total", ("outcome", "succeeded")));
        Assert.Equal(0, metrics.Sum("opendata_ingestion_jobs_total", ("outcome", "failed")));
        Assert.Equal(PeopleDataset.People.Count, metrics.Sum("opendata_ingestion_rows_total", ("outcome", "accepted")));
        Assert.Equal(1, metrics.Sum("opendata_ingestion_duration_seconds_count", ("outcome", "succeeded")));
        // Webhooks: one failed attempt retried, then delivered.
        Assert.Equal(1, metrics.Sum("opendata_webhook_deliveries_total", ("outcome", "retrying")));
        Assert.Equal(1, metrics.Sum("opendata_webhook_deliveries_total", ("outcome", "delivered")));
        // Audit: appends were timed and batched; one verification, ok.
        Assert.True(metrics.Sum("opendata_audit_append_duration_seconds_count") >= 1, "no audit append timed");
        Assert.True(metrics.Sum("opendata_audit_append_batch_size_count") >= 1, "no audit batch counted");
        Assert.Equal(1, metrics.Sum("opendata_audit_verifications_total", ("result", "ok")));
        // Tokens: issued for the callers, one refused as invalid_client.
        Assert.True(metrics.Sum("opendata_tokens_issued_total", ("grant_type", "client_credentials")) >= 2, "tokens issued not counted");
        Assert.Equal(1, metrics.Sum("opendata_tokens_refused_total", ("grant_type", "client_credentials"), ("error", "invalid_client")));
        // The read path's caches: the dataset directory was hit by the repeated pages; the tokens' cache by repeated tokens.
        Assert.True(metrics.Sum("opendata_cache_lookups_total", ("cache", "dataset"), ("result", "hit")) >= 1, "no dataset cache hit");
        Assert.True(metrics.Sum("opendata_cache_lookups_total", ("cache", "token"), ("result", "hit")) >= 1, "no token cache hit");
        // The signing key is due for rotation 90 days after it was made (just now).
        var expiry = Assert.Single(metrics.Of("opendata_signing_key_expiry_seconds")).Value;
        Assert.InRange(expiry, TimeSpan.FromDays(90).TotalSeconds - 600, TimeSpan.FromDays(90).TotalSeconds);
        // The frameworks' own: ASP.NET Core, the runtime.
        Assert.True(metrics.Has("http_server_request_duration_seconds_count"), "ASP.NET Core's metrics are missing");
        Assert.True(metrics.Has("dotnet_gc_collections_total") || metrics.Samples.Any(s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal)), "runtime metrics are missing");

        // No label holds a value of the data, a person's or tenant's id, or a path as sent.
        var labels = metrics.Samples.SelectMany(s => s.Labels.Values).Distinct().ToList();
        foreach (var person in PeopleDataset.People)
        {
            foreach (var value in new[] { person.Name, person.Mobile, person.IdCard, person.Email, person.Address, person.Ticket, person.Card })
            {
                Assert.DoesNotContain(value, metrics.Text, StringComparison.Ordinal);
            }
        }
        foreach (var name in new[] { id, Owner, Reader, "no-such-client" })
        {
            Assert.DoesNotContain(labels, l => l.Contains(name, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(labels, l => l.Contains("/v1/datasets/people", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_are_refused_from_outside_the_allowed_networks_as_an_unknown_route()
    {
        // Loopback only by default: the test's own calls come from 127.0.0.1.
        await using (var host = await PlatformHost.StartAsync(Db.Sqlite))
        {
            await ScrapeAsync(host);
        }
        // Another network only: the caller is refused, with the 404 of a path no route answers (nothing says metrics are there).
        await using (var host = await PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["OpenData:Metrics:AllowedNetworks"] = "10.0.0.0/8, 192.168.1.7" }))
        {
            var refused = await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync("/metrics"), HttpStatusCode.NotFound, "route.not_found");
            Assert.DoesNotContain("opendata_", refused.ToJsonString(), StringComparison.Ordinal);
        }
        // Behind a trusted load balancer on loopback, a forwarded caller is judged by its own address, not the balancer's.
        await using (var host = await PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["OpenData:Proxy:KnownProxies"] = "127.0.0.1,::1" }))
        {
            var forwarded = host.Anonymous();
            forwarded.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
            await ProblemAssert.IsProblemAsync(await forwarded.GetAsync("/metrics"), HttpStatusCode.NotFound, "route.not_found");
            await ScrapeAsync(host);
        }
        // A port of its own: the API's port does not serve them.
        await using (var host = await PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["OpenData:Metrics:Port"] = "1" }))
        {
            await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync("/metrics"), HttpStatusCode.NotFound, "route.not_found");
        }
        // Switched off: nothing is served.
        await using (var host = await PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["OpenData:Metrics:Enabled"] = "false" }))
        {
            await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync("/metrics"), HttpStatusCode.NotFound, "route.not_found");
        }
    }

    [Fact]
    public async Task A_malformed_allowed_network_stops_the_host_naming_the_setting()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?>
        {
            ["OpenData:Metrics:AllowedNetworks"] = "10.0.0.0/8, everywhere",
        }));
        Assert.Contains("OpenData:Metrics:AllowedNetworks", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Allowed_networks_are_matched_by_address_including_ipv4_mapped_ones()
    {
        var allowed = OpenData.Platform.Monitoring.MetricsEndpoint.ParseNetworks("127.0.0.0/8, ::1/128, 10.1.2.3");
        Assert.True(OpenData.Platform.Monitoring.MetricsEndpoint.IsAllowed(IPAddress.Parse("127.0.0.1"), allowed));
        Assert.True(OpenData.Platform.Monitoring.MetricsEndpoint.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1"), allowed));
        Assert.True(OpenData.Platform.Monitoring.MetricsEndpoint.IsAllowed(IPAddress.IPv6Loopback, allowed));
        Assert.True(OpenData.Platform.Monitoring.MetricsEndpoint.IsAllowed(IPAddress.Parse("10.1.2.3"), allowed));
        Assert.False(OpenData.Platform.Monitoring.MetricsEndpoint.IsAllowed(IPAddress.Parse("10.1.2.4"), allowed));
        Assert.False(OpenData.Platform.Monitoring.MetricsEndpoint.IsAllowed(IPAddress.Parse("203.0.113.9"), allowed));
        Assert.False(OpenData.Platform.Monitoring.MetricsEndpoint.IsAllowed(null, allowed));
        Assert.Throws<FormatException>(() => OpenData.Platform.Monitoring.MetricsEndpoint.ParseNetworks("10.0.0.0/33"));
    }
}
