using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Sandbox;

/// <summary>
/// The two environments kept apart on every route of the host (docs/sandbox.md, "Two environments"): each endpoint is classified
/// in the table below — an endpoint without an entry fails the test — and a sandbox app's token holding every scope is refused
/// with 403 <c>env.mismatch</c> on each live-only route, changing nothing; a live token likewise on each sandbox-only route.
/// Sandbox credentials are visibly different (<c>sbx_</c>) and their tokens say <c>env: sandbox</c>.
/// </summary>
public sealed class EnvironmentIsolationTests
{
    private const string Consumer = "env-consumer";
    private const string Owner = AccessScenarios.RestrictedOwner;

    private static readonly string[] EveryScope =
        ["catalogue:read", "records:read", "access:request", "datasets:write", "access:review", "tenant:admin", "platform:admin"];

    private enum Env
    {
        /// <summary>A live action or live state: a sandbox token answers 403 env.mismatch.</summary>
        LiveOnly,

        /// <summary>The same for both environments (reads served from the twin for sandbox callers, the caller's own figures, sign-in).</summary>
        Both,

        /// <summary>The sandbox's own routes: a live token answers 403 env.mismatch.</summary>
        SandboxOnly,
    }

    /// <summary>Ids of live things the sandbox token aims at: a submitted request, an active grant, a live app, an ingestion job.</summary>
    private sealed record Ids(string RequestId, string GrantId, string AppId, string JobId);

    /// <param name="Request">For live-only routes, a request a live caller could make (a well-formed body, real ids): only the environment refuses it.</param>
    private sealed record Entry(string Method, string Route, Env Env, Func<Ids, HttpRequestMessage>? Request = null);

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Json(HttpMethod method, string url, object body) => new(method, url) { Content = JsonContent.Create(body) };

    private static readonly Entry[] Table =
    [
        new("GET", "/healthz", Env.Both),
        new("GET", "/readyz", Env.Both),
        // The catalogue and a dataset's metadata are the same in both; records and exports are read from the version's twin.
        new("GET", "/v1/datasets", Env.Both),
        new("GET", "/v1/datasets/{id}", Env.Both),
        new("GET", "/v1/datasets/{id}/lineage", Env.Both),
        new("GET", "/v1/organisations", Env.Both),
        new("GET", "/v1/themes", Env.Both),
        new("GET", "/v1/catalogue/dcat", Env.Both),
        new("GET", "/v1/datasets/{id}/records", Env.Both),
        new("GET", "/v1/datasets/{id}/export", Env.Both),
        new("GET", "/v1/datasets/{id}/aggregate", Env.Both),
        // The owner's switch for aggregates without a grant: a live setting.
        new("GET", "/v1/datasets/{id}/aggregate-access", Env.LiveOnly, _ => Get($"/v1/datasets/{AccessScenarios.Restricted}/aggregate-access")),
        new("PUT", "/v1/datasets/{id}/aggregate-access", Env.LiveOnly, _ => Json(HttpMethod.Put, $"/v1/datasets/{AccessScenarios.Restricted}/aggregate-access", new { enabled = false })),
        // Publishing and tagging: the owner's live actions.
        new("POST", "/v1/datasets", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/datasets", new
        {
            id = "env-sandbox-made", title = "t", theme = "public-services", classification = "open", license = "CC-BY-4.0",
            updateFrequency = "irregular", columns = new[] { new { name = "a", type = "string" } },
        })),
        new("PATCH", "/v1/datasets/{id}/columns/{name}", Env.LiveOnly,
            _ => Json(HttpMethod.Patch, $"/v1/datasets/{AccessScenarios.Restricted}/columns/district", new { tag = "pii.name" })),
        new("POST", "/v1/datasets/{id}/versions", Env.LiveOnly, _ => new HttpRequestMessage(HttpMethod.Post, $"/v1/datasets/{AccessScenarios.Restricted}/versions")
        {
            Content = new StringContent("ticketNo\nT1\n", Encoding.UTF8, "text/csv"),
        }),
        new("GET", "/v1/ingestions/{jobId}", Env.LiveOnly, ids => Get($"/v1/ingestions/{ids.JobId}")),
        new("GET", "/v1/datasets/{id}/risk", Env.LiveOnly, _ => Get($"/v1/datasets/{AccessScenarios.Restricted}/risk")),
        // Verification checks the real rows through a live grant.
        new("PUT", "/v1/datasets/{id}/verification", Env.LiveOnly,
            _ => Json(HttpMethod.Put, $"/v1/datasets/{AccessScenarios.Restricted}/verification", new { keys = new[] { "callerIdCard" } })),
        new("GET", "/v1/datasets/{id}/verification", Env.LiveOnly, _ => Get($"/v1/datasets/{AccessScenarios.Restricted}/verification")),
        // Analysis jobs run on the real rows and are released by the real owner.
        new("POST", "/v1/analysis-jobs", Env.LiveOnly,
            _ => Json(HttpMethod.Post, "/v1/analysis-jobs", new { datasetId = AccessScenarios.Restricted, queries = new[] { new { groupBy = new[] { "district" } } } })),
        new("GET", "/v1/products", Env.LiveOnly, _ => Get("/v1/products")),
        new("GET", "/v1/products/{id}", Env.LiveOnly, _ => Get("/v1/products/none")),
        new("GET", "/v1/products/{id}/agreements", Env.LiveOnly, _ => Get("/v1/products/none/agreements")),
        new("POST", "/v1/products", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/products", new { id = "none" })),
        new("PATCH", "/v1/products/{id}", Env.LiveOnly, _ => Json(HttpMethod.Patch, "/v1/products/none", new { title = "t" })),
        new("POST", "/v1/subscriptions", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/subscriptions", new { productId = "none" })),
        new("GET", "/v1/subscriptions", Env.LiveOnly, _ => Get("/v1/subscriptions")),
        new("GET", "/v1/subscriptions/{id}", Env.LiveOnly, _ => Get("/v1/subscriptions/sub_none")),
        new("POST", "/v1/subscriptions/{id}/decision", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/subscriptions/sub_none/decision", new { decision = "approve" })),
        new("POST", "/v1/subscriptions/{id}/change", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/subscriptions/sub_none/change", new { plan = "p" })),
        new("POST", "/v1/subscriptions/{id}/cancel", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/subscriptions/sub_none/cancel", new { })),
        new("GET", "/v1/statements", Env.LiveOnly, _ => Get("/v1/statements")),
        new("POST", "/v1/statements/adjustments", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/statements/adjustments", new { })),
        new("POST", "/v1/tenants/{id}/provider-licence", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/tenants/none/provider-licence", new { })),
        new("GET", "/v1/tenants/{id}/provider-licence", Env.LiveOnly, _ => Get("/v1/tenants/none/provider-licence")),
        new("GET", "/v1/analysis-jobs", Env.LiveOnly, _ => Get("/v1/analysis-jobs")),
        new("GET", "/v1/analysis-jobs/{id}", Env.LiveOnly, _ => Get("/v1/analysis-jobs/job_none")),
        new("POST", "/v1/analysis-jobs/{id}/decision", Env.LiveOnly,
            _ => Json(HttpMethod.Post, "/v1/analysis-jobs/job_none/decision", new { decision = "release", reason = "r" })),
        new("POST", "/v1/datasets/{id}/verify", Env.LiveOnly,
            _ => Json(HttpMethod.Post, $"/v1/datasets/{AccessScenarios.Restricted}/verify", new { records = new[] { new { callerIdCard = "1" } } })),
        // The twin's report describes the real rows' statistics: the owner's live view.
        new("GET", "/v1/datasets/{id}/twin", Env.LiveOnly, _ => Get($"/v1/datasets/{AccessScenarios.Restricted}/twin")),
        // Tenant, app and member administration, quota overrides and the operator's tenant routes.
        new("POST", "/v1/tenants", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/tenants", new { id = "env-sandbox-tenant", name = "made in the sandbox", kind = "consumer" })),
        new("GET", "/v1/tenants/{id}", Env.LiveOnly, _ => Get($"/v1/tenants/{Consumer}")),
        new("PATCH", "/v1/tenants/{id}", Env.LiveOnly, _ => Json(HttpMethod.Patch, $"/v1/tenants/{Consumer}", new { plan = "enterprise", limits = new { dailyRows = 1 } })),
        new("POST", "/v1/tenants/{id}/apps", Env.LiveOnly, _ => Json(HttpMethod.Post, $"/v1/tenants/{Consumer}/apps", new { name = "live app made by a sandbox token", environment = "live" })),
        new("POST", "/v1/apps/{id}/secret", Env.LiveOnly, ids => new HttpRequestMessage(HttpMethod.Post, $"/v1/apps/{ids.AppId}/secret")),
        new("DELETE", "/v1/apps/{id}", Env.LiveOnly, ids => new HttpRequestMessage(HttpMethod.Delete, $"/v1/apps/{ids.AppId}")),
        new("POST", "/v1/tenants/{id}/members", Env.LiveOnly, _ => Json(HttpMethod.Post, $"/v1/tenants/{Consumer}/members",
            new { email = "sandbox@env.test", name = "m", role = "admin", password = "0123456789ab" })),
        new("GET", "/v1/tenants/{id}/members", Env.LiveOnly, _ => Get($"/v1/tenants/{Consumer}/members")),
        // Contests: read alike in both; organised live.
        new("GET", "/v1/contests", Env.Both),
        new("GET", "/v1/contests/{id}", Env.Both),
        new("POST", "/v1/contests", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/contests", new
        {
            id = "env-contest", title = "t", description = "d", startsAt = "2026-01-01T00:00:00Z", endsAt = "2027-01-01T00:00:00Z", datasets = new[] { "ningbo-villages" },
        })),
        new("PATCH", "/v1/contests/{id}", Env.LiveOnly, _ => Json(HttpMethod.Patch, "/v1/contests/env-contest", new { title = "t2" })),
        // Registering, deciding, issuing credentials and submitting are live actions; reading teams and submissions is the caller's own state in both.
        new("POST", "/v1/contests/{id}/teams", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/contests/env-contest/teams", new { name = "t", members = new[] { "a@example.org" }, acceptTerms = true })),
        new("GET", "/v1/contests/{id}/teams", Env.Both),
        new("GET", "/v1/contests/{id}/teams/{teamId}", Env.Both),
        new("PATCH", "/v1/contests/{id}/teams/{teamId}", Env.LiveOnly, _ => Json(HttpMethod.Patch, "/v1/contests/env-contest/teams/team_x", new { name = "t2" })),
        new("POST", "/v1/contests/{id}/teams/{teamId}/decision", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/contests/env-contest/teams/team_x/decision", new { decision = "approve" })),
        new("POST", "/v1/contests/{id}/teams/{teamId}/credentials", Env.LiveOnly, _ => new HttpRequestMessage(HttpMethod.Post, "/v1/contests/env-contest/teams/team_x/credentials")),
        new("POST", "/v1/contests/{id}/teams/{teamId}/attachments", Env.LiveOnly, _ => new HttpRequestMessage(HttpMethod.Post, "/v1/contests/env-contest/teams/team_x/attachments")
        {
            Content = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n")),
        }),
        new("POST", "/v1/contests/{id}/submissions", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/contests/env-contest/submissions", new { teamId = "team_x", title = "t", description = "d", url = "https://x.example.org" })),
        new("GET", "/v1/contests/{id}/submissions", Env.Both),
        new("GET", "/v1/contests/{id}/attachments/{attachmentId}", Env.Both),
        // Judging and results are live acts of people and the organiser; the leaderboard and showcase read alike in both.
        new("POST", "/v1/contests/{id}/judges", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/contests/env-contest/judges", new { email = "judge@env.test" })),
        new("GET", "/v1/contests/{id}/judges", Env.LiveOnly, _ => Get("/v1/contests/env-contest/judges")),
        new("DELETE", "/v1/contests/{id}/judges/{judgeId}", Env.LiveOnly, _ => new HttpRequestMessage(HttpMethod.Delete, "/v1/contests/env-contest/judges/m_x")),
        new("GET", "/v1/contests/{id}/entries", Env.LiveOnly, _ => Get("/v1/contests/env-contest/entries")),
        new("GET", "/v1/contests/{id}/entries/{entry}/attachment", Env.LiveOnly, _ => Get("/v1/contests/env-contest/entries/e_x/attachment")),
        new("POST", "/v1/contests/{id}/scores", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/contests/env-contest/scores",
            new { entry = "e_x", scores = new[] { new { criterion = "innovation", score = 1 } }, comment = "c" })),
        new("GET", "/v1/contests/{id}/standings", Env.LiveOnly, _ => Get("/v1/contests/env-contest/standings")),
        new("POST", "/v1/contests/{id}/results", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/contests/env-contest/results", new { })),
        new("GET", "/v1/contests/{id}/leaderboard", Env.Both),
        new("GET", "/v1/contests/{id}/showcase", Env.Both),
        new("POST", "/v1/contests/{id}/teams/{teamId}/promote", Env.LiveOnly, _ => new HttpRequestMessage(HttpMethod.Post, "/v1/contests/env-contest/teams/team_x/promote")),
        // The sandbox app promoted by a live tenant:admin (issue 16's promote branch maps it, .LiveOnly).
        new("POST", "/v1/apps/{id}/promote", Env.LiveOnly, ids => new HttpRequestMessage(HttpMethod.Post, $"/v1/apps/{ids.AppId}/promote")),
        new("GET", "/v1/me", Env.Both),
        new("GET", "/v1/quota", Env.Both),
        // The caller's own usage is the same in both (another tenant's, an operator's read, is refused inside: see the GraphQL test).
        new("GET", "/v1/usage", Env.Both),
        new("GET", "/v1/usage/requests", Env.Both),
        // Access requests and grants exist only in the live environment: reads and actions alike.
        new("POST", "/v1/access-requests", Env.LiveOnly, _ => Json(HttpMethod.Post, "/v1/access-requests",
            new { datasetId = AccessScenarios.Restricted, purpose = "Research on response times of public services", durationDays = 30 })),
        new("GET", "/v1/access-requests", Env.LiveOnly, _ => Get("/v1/access-requests")),
        new("GET", "/v1/access-requests/{id}", Env.LiveOnly, ids => Get($"/v1/access-requests/{ids.RequestId}")),
        new("POST", "/v1/access-requests/{id}/decision", Env.LiveOnly, ids => Json(HttpMethod.Post, $"/v1/access-requests/{ids.RequestId}/decision",
            new { decision = "approve", reason = "approved with a sandbox token" })),
        new("POST", "/v1/access-requests/{id}/withdraw", Env.LiveOnly, ids => Json(HttpMethod.Post, $"/v1/access-requests/{ids.RequestId}/withdraw", new { reason = "r" })),
        new("POST", "/v1/access-requests/{id}/resubmit", Env.LiveOnly, ids => Json(HttpMethod.Post, $"/v1/access-requests/{ids.RequestId}/resubmit", new { reason = "r" })),
        // Drafts (made by promote) are completed and submitted live.
        new("PATCH", "/v1/access-requests/{id}", Env.LiveOnly, ids => Json(HttpMethod.Patch, $"/v1/access-requests/{ids.RequestId}", new { purpose = "edited with a sandbox token" })),
        new("POST", "/v1/access-requests/{id}/submit", Env.LiveOnly, ids => new HttpRequestMessage(HttpMethod.Post, $"/v1/access-requests/{ids.RequestId}/submit")),
        new("GET", "/v1/grants", Env.LiveOnly, _ => Get("/v1/grants")),
        new("POST", "/v1/grants/{id}/revoke", Env.LiveOnly, ids => Json(HttpMethod.Post, $"/v1/grants/{ids.GrantId}/revoke", new { reason = "revoked with a sandbox token" })),
        new("GET", "/v1/audit", Env.LiveOnly, _ => Get("/v1/audit")),
        new("GET", "/v1/audit/verify", Env.LiveOnly, _ => Get("/v1/audit/verify")),
        // Webhooks are registered in both: a sandbox app's are sandbox webhooks, fed by simulated events only.
        new("POST", "/v1/webhooks", Env.Both),
        new("GET", "/v1/webhooks", Env.Both),
        new("DELETE", "/v1/webhooks/{id}", Env.Both),
        new("GET", "/v1/webhooks/{id}/deliveries", Env.Both),
        new("POST", "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", Env.Both),
        // Simulated events: the sandbox's own route (issue 16's events branch maps it, .SandboxOnly).
        new("POST", "/v1/sandbox/events", Env.SandboxOnly, _ => Json(HttpMethod.Post, "/v1/sandbox/events", new { type = "access_request.decided" })),
        // GraphQL's routes serve both; each live field refuses a sandbox token itself (the GraphQL test below).
        new("POST", "/graphql", Env.Both),
        new("GET", "/graphql", Env.Both),
        new("GET", "/graphql/schema.graphql", Env.Both),
        // Signing in, and tokens: a sandbox app takes its (sandbox) tokens at the same endpoint.
        new("POST", "/connect/token", Env.Both),
        new("GET", "/connect/authorize", Env.Both),
        new("POST", "/connect/authorize", Env.Both),
        new("GET", "/account/signin", Env.Both),
        new("POST", "/account/signin", Env.Both),
        new("GET", "/demo/callback", Env.Both),
    ];

    /// <summary>
    /// The portal's pages act for the person of the sign-in cookie, never for an app's token: they are the same in both environments
    /// (AuthorizationMatrixTests lists them one by one). A page is recognised by its metadata, so a new page needs no entry here.
    /// </summary>
    private static bool IsPortalPage(RouteEndpoint endpoint) => endpoint.Metadata.GetMetadata<OpenData.Portal.PortalPage>() is not null;

    private static IEnumerable<string> Keys(RouteEndpoint endpoint) =>
        (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} /{endpoint.RoutePattern.RawText?.TrimStart('/')}");

    /// <summary>A request for a route no body or id of which matters (both-environment routes): its parameters filled with an unknown id.</summary>
    private static HttpRequestMessage Generic(string method, string route)
    {
        var url = System.Text.RegularExpressions.Regex.Replace(route, "\\{[^}]+\\}", "env-none");
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = JsonContent.Create(new { });
        }
        return request;
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Every_route_is_classified_and_a_sandbox_token_never_reaches_a_live_one_nor_a_live_token_a_sandbox_one(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var endpoints = host.Endpoints.Where(e => !IsPortalPage(e)).SelectMany(Keys).ToHashSet(StringComparer.Ordinal);
        var pages = host.Endpoints.Where(IsPortalPage).SelectMany(Keys).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(pages);
        var entries = Table.Select(e => $"{e.Method} {e.Route}").ToList();
        Assert.True(entries.Count == entries.Distinct(StringComparer.Ordinal).Count(), "an entry is listed twice");
        var unclassified = endpoints.Except(entries).ToList();
        var stale = Table.Where(e => !endpoints.Contains($"{e.Method} {e.Route}")).Select(e => $"{e.Method} {e.Route}").ToList();
        Assert.True(unclassified.Count == 0 && stale.Count == 0,
            $"endpoints without an entry (classify them: live-only, both or sandbox-only): {string.Join("; ", unclassified)}; entries without an endpoint: {string.Join("; ", stale)}");

        // Live things for the sandbox token to aim at: a live consumer's submitted request, another one approved into a grant,
        // a live app, an ingestion job.
        var consumer = AccessScenarios.Consumer(host, Consumer);
        var reviewer = AccessScenarios.Reviewer(host, Owner);
        var approved = (await AccessScenarios.SubmitAsync(consumer, AccessScenarios.Restricted, new[] { "ticketNo", "district" }))["id"]!.GetValue<string>();
        var grantId = (await PlatformHost.ReadJsonAsync(await AccessScenarios.DecideAsync(reviewer, approved, "approve")))["grantId"]!.GetValue<string>();
        await AccessScenarios.CreateSensitiveAsync(host);
        var submitted = (await AccessScenarios.SubmitAsync(consumer, AccessScenarios.Sensitive))["id"]!.GetValue<string>();
        var op = host.As("platform", EveryScope);
        var app = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{Consumer}/apps", new { name = "a live app" }), HttpStatusCode.Created);
        var jobId = (await host.UploadAsync(reviewer, AccessScenarios.Restricted, "ticketNo,district\nT-env,海曙区\n")).GetProperty("id").GetString()!;
        var ids = new Ids(submitted, grantId, app["id"]!.GetValue<string>(), jobId);

        // The operator tenant's sandbox app holds every scope: only the environment stands between it and each live route.
        // (Registered before the store's state is taken: its first request registers it.)
        var sandbox = host.AsIn("sandbox", "platform", EveryScope);
        Assert.Equal("sandbox", (await PlatformHost.ReadJsonAsync(await sandbox.GetAsync("/v1/me")))["environment"]!.GetValue<string>());
        var live = op;
        var before = await StateAsync(host, ids);
        var failures = new List<string>();
        foreach (var entry in Table)
        {
            var key = $"{entry.Method} {entry.Route}";
            if (!endpoints.Contains(key))
            {
                continue;
            }
            switch (entry.Env)
            {
                case Env.LiveOnly:
                    await ExpectMismatchAsync(sandbox, entry.Request!(ids), key, "a sandbox token", "env: sandbox", failures);
                    break;
                case Env.SandboxOnly:
                    await ExpectMismatchAsync(live, entry.Request?.Invoke(ids) ?? Generic(entry.Method, entry.Route), key, "a live token", "env: live", failures);
                    break;
                default:
                    await ExpectNoMismatchAsync(sandbox, Generic(entry.Method, entry.Route), key, failures);
                    break;
            }
        }
        foreach (var page in pages)
        {
            var (method, route) = (page[..page.IndexOf(' ', StringComparison.Ordinal)], page[(page.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            await ExpectNoMismatchAsync(sandbox, Generic(method, route), page, failures);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Nothing changed: no request, tenant, app, member, dataset or job made; the request still submitted, the grant active,
        // the app's secret and state as they were, the tenant's plan, the column's tag.
        Assert.Equal(before, await StateAsync(host, ids));
        // And the live side still works: the refusals were the environment's, not a broken route.
        Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync($"/v1/access-requests/{submitted}")).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_sandbox_tokens_GraphQL_live_fields_answer_env_mismatch_and_its_reads_answer(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var sandbox = host.AsIn("sandbox", "platform", EveryScope);
        var live = host.As("platform", EveryScope);
        string[] refused =
        [
            """mutation { requestAccess(datasetId: "hotline-12345-requests", purpose: "Research on response times of public services", durationDays: 30) { id } }""",
            """mutation { decideAccessRequest(id: "ar_none", decision: approve, reason: "r") { id } }""",
            """mutation { withdrawAccessRequest(id: "ar_none") { id } }""",
            """mutation { resubmitAccessRequest(id: "ar_none") { id } }""",
            """mutation { revokeGrant(id: "gr_none", reason: "r") { id } }""",
            """mutation { verify(datasetId: "hotline-12345-requests", records: [{callerIdCard: "1"}]) { match } }""",
            """mutation { scoreEntry(contestId: "env-contest", entry: "e_x", scores: [{criterion: "innovation", score: 1}], comment: "c") { total } }""",
            "{ accessRequests { id } }",
            """{ accessRequest(id: "ar_none") { id } }""",
            "{ grants { id } }",
            // Another tenant's usage is the operator's live read; the caller's own is open to both.
            """{ usage(tenant: "ningbo-civil-affairs") { tenant } }""",
        ];
        var failures = new List<string>();
        foreach (var query in refused)
        {
            var text = await (await sandbox.PostAsync("/graphql", JsonContent.Create(new { query }))).Content.ReadAsStringAsync();
            var errors = JsonNode.Parse(text)?["errors"]?.AsArray() ?? [];
            if (!(errors.Count == 1 && errors[0]?["extensions"]?["code"]?.GetValue<string>() == "env.mismatch"
                && errors[0]?["extensions"]?["status"]?.GetValue<int>() == 403 && errors[0]!["message"]!.GetValue<string>().Contains("env: sandbox", StringComparison.Ordinal)))
            {
                failures.Add($"{query}: expected one error env.mismatch (403), got {text}");
            }
        }
        Assert.Equal(0, (long)(await host.QueryScalarAsync("SELECT COUNT(*) FROM access_requests"))!);
        foreach (var query in new[] { "{ me { environment } }", "{ datasets(first: 1) { items { id } } }", "{ quota { plan } }", "{ usage { tenant } }" })
        {
            var text = await (await sandbox.PostAsync("/graphql", JsonContent.Create(new { query }))).Content.ReadAsStringAsync();
            if (JsonNode.Parse(text)?["errors"] is not null)
            {
                failures.Add($"{query}: expected an answer, got {text}");
            }
        }
        // A live token is not refused by the environment on the same fields.
        var liveText = await (await live.PostAsync("/graphql", JsonContent.Create(new { query = "{ grants { id } accessRequests { id } }" }))).Content.ReadAsStringAsync();
        if (JsonNode.Parse(liveText)?["errors"] is not null)
        {
            failures.Add($"a live token's access reads: expected an answer, got {liveText}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_sandbox_apps_credentials_start_with_sbx_and_its_tokens_say_sandbox_whatever_the_caller_sends(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var admin = host.As(Consumer, "tenant:admin", "catalogue:read");

        var sandbox = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync($"/v1/tenants/{Consumer}/apps",
            new { name = "my sandbox app", environment = "sandbox" }), HttpStatusCode.Created);
        var (sandboxId, sandboxClient, sandboxSecret) = (sandbox["id"]!.GetValue<string>(), sandbox["clientId"]!.GetValue<string>(), sandbox["clientSecret"]!.GetValue<string>());
        Assert.StartsWith("sbx_", sandboxClient, StringComparison.Ordinal);
        Assert.StartsWith("sbx_", sandboxSecret, StringComparison.Ordinal);
        Assert.NotEqual(sandboxClient, sandboxSecret[..sandboxClient.Length]);

        var live = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync($"/v1/tenants/{Consumer}/apps", new { name = "my live app" }), HttpStatusCode.Created);
        var (liveId, liveClient, liveSecret) = (live["id"]!.GetValue<string>(), live["clientId"]!.GetValue<string>(), live["clientSecret"]!.GetValue<string>());
        Assert.StartsWith("od_", liveClient, StringComparison.Ordinal);
        Assert.StartsWith("ods_", liveSecret, StringComparison.Ordinal);
        Assert.Equal("live", live["environment"]!.GetValue<string>());

        // The token's env comes from the app as registered: a request asking for the other environment changes nothing.
        Assert.Equal("sandbox", await EnvironmentOfTokenAsync(host, sandboxClient, sandboxSecret, ("env", "live")));
        Assert.Equal("live", await EnvironmentOfTokenAsync(host, liveClient, liveSecret, ("env", "sandbox")));

        // Rotation keeps the prefix (and the client id); the old secret stops working.
        var rotated = await PlatformHost.ReadJsonAsync(await admin.PostAsync($"/v1/apps/{sandboxId}/secret", null));
        Assert.Equal(sandboxClient, rotated["clientId"]!.GetValue<string>());
        var fresh = rotated["clientSecret"]!.GetValue<string>();
        Assert.StartsWith("sbx_", fresh, StringComparison.Ordinal);
        Assert.NotEqual(sandboxSecret, fresh);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(host, sandboxClient, sandboxSecret)).StatusCode);
        Assert.Equal("sandbox", await EnvironmentOfTokenAsync(host, sandboxClient, fresh));

        var liveRotated = await PlatformHost.ReadJsonAsync(await admin.PostAsync($"/v1/apps/{liveId}/secret", null));
        Assert.StartsWith("ods_", liveRotated["clientSecret"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("sbx_", liveRotated["clientSecret"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> TokenAsync(PlatformHost host, string clientId, string secret, params (string Name, string Value)[] extra)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        foreach (var (name, value) in extra)
        {
            form[name] = value;
        }
        return await host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(form));
    }

    private static async Task<string> EnvironmentOfTokenAsync(PlatformHost host, string clientId, string secret, params (string Name, string Value)[] extra)
    {
        var body = await PlatformHost.ReadJsonAsync(await TokenAsync(host, clientId, secret, extra));
        var token = body["access_token"]!.GetValue<string>();
        var fromToken = new JsonWebToken(token).GetClaim("env").Value;
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var me = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/me"));
        Assert.Equal(fromToken, me["environment"]!.GetValue<string>());
        return fromToken;
    }

    private static async Task ExpectMismatchAsync(HttpClient client, HttpRequestMessage request, string key, string who, string names, List<string> failures)
    {
        using (request)
        {
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            JsonNode? problem = null;
            try
            {
                problem = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
            }
            if (response.StatusCode != HttpStatusCode.Forbidden || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || problem?["code"]?.GetValue<string>() != "env.mismatch" || problem["detail"]?.GetValue<string>()?.Contains(names, StringComparison.Ordinal) != true)
            {
                failures.Add($"{key} with {who}: expected 403 env.mismatch naming '{names}', got {(int)response.StatusCode} {text}");
            }
        }
    }

    private static async Task ExpectNoMismatchAsync(HttpClient client, HttpRequestMessage request, string key, List<string> failures)
    {
        using (request)
        {
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json" && JsonNode.Parse(text)?["code"]?.GetValue<string>() == "env.mismatch")
            {
                failures.Add($"{key} (both environments) refused a sandbox token: {(int)response.StatusCode} {text}");
            }
        }
    }

    /// <summary>What a live action by the sandbox token would have changed, read straight from the store.</summary>
    private static async Task<string> StateAsync(PlatformHost host, Ids ids)
    {
        string[] queries =
        [
            "SELECT COUNT(*) FROM access_requests",
            $"SELECT status FROM access_requests WHERE id = '{ids.RequestId}'",
            "SELECT COUNT(*) FROM access_request_events",
            "SELECT COUNT(*) FROM grants",
            $"SELECT COUNT(*) FROM grants WHERE id = '{ids.GrantId}' AND revoked_at IS NULL",
            "SELECT COUNT(*) FROM tenants",
            $"SELECT plan FROM tenants WHERE id = '{Consumer}'",
            $"SELECT limits FROM tenants WHERE id = '{Consumer}'",
            "SELECT COUNT(*) FROM apps",
            $"SELECT secret_hash FROM apps WHERE id = '{ids.AppId}'",
            "SELECT COUNT(*) FROM apps WHERE disabled_at IS NOT NULL",
            "SELECT COUNT(*) FROM members",
            "SELECT COUNT(*) FROM datasets",
            "SELECT COUNT(*) FROM dataset_versions",
            "SELECT COUNT(*) FROM ingestion_jobs",
            $"SELECT COALESCE(tag, '-') FROM dataset_columns WHERE name = 'district' AND dataset_key = (SELECT key FROM datasets WHERE id = '{AccessScenarios.Restricted}')",
        ];
        var state = new StringBuilder();
        foreach (var sql in queries)
        {
            state.Append(CultureInfo.InvariantCulture, $"{sql} = {Convert.ToString(await host.QueryScalarAsync(sql), CultureInfo.InvariantCulture)}\n");
        }
        return state.ToString();
    }
}
