using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Sandbox.Promotion;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Sandbox;

/// <summary>
/// Promote to live: what a sandbox app read is recorded per column (never a value, live reads not at all); promoting it makes a
/// live app of the same tenant whose credentials work, and exactly one draft access request per restricted dataset it read,
/// with exactly the columns it read there — a draft no owner sees until the developer submits it. Once per sandbox app.
/// </summary>
public sealed class PromoteTests
{
    private const string Tenant = "promo-team";
    private const string Restricted = AccessScenarios.Restricted;
    private const string Open = "ningbo-villages";

    private static HttpClient Admin(PlatformHost host) => host.As(Tenant, "tenant:admin", "catalogue:read", "records:read", "access:request");

    private static async Task<(string Id, string ClientId, string Secret)> SandboxAppAsync(PlatformHost host)
    {
        var created = await PlatformHost.ReadJsonAsync(await Admin(host).PostAsJsonAsync($"/v1/tenants/{Tenant}/apps", new
        {
            name = "公交到站提醒", scopes = new[] { "catalogue:read", "records:read", "access:request" }, environment = "sandbox",
        }), HttpStatusCode.Created);
        Assert.Equal("sandbox", created["environment"]!.GetValue<string>());
        return (created["id"]!.GetValue<string>(), created["clientId"]!.GetValue<string>(), created["clientSecret"]!.GetValue<string>());
    }

    private static ClaimsPrincipal Caller(string clientId, string environment) => new(new ClaimsIdentity(
        [new Claim(PlatformClaims.Tenant, Tenant), new Claim(PlatformClaims.ClientId, clientId), new Claim(PlatformClaims.Environment, environment)], "test"));

    private static ReadReport Report(string dataset, long rows, params string[] columns) => new(dataset, 1, columns, rows, "q", false, []);

    [DatabaseTheory, OnEachDatabase]
    public async Task The_recorder_tallies_each_column_a_sandbox_app_read_and_ignores_live_reads(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var recorder = host.Required<IEnumerable<IRecordReadObserver>>().OfType<SandboxReadRecorder>().Single();
        var store = host.Required<SandboxReadStore>();
        await recorder.OnReadAsync(Caller("sbx_app", "sandbox"), Report(Restricted, 3, "ticketNo", "district"), CancellationToken.None);
        await recorder.OnReadAsync(Caller("sbx_app", "sandbox"), Report(Restricted, 2, "district"), CancellationToken.None);
        await recorder.OnReadAsync(Caller("sbx_app", "sandbox"), Report(Open, 10, "code"), CancellationToken.None);
        await recorder.OnReadAsync(Caller("live_app", "live"), Report(Restricted, 7, "callerName"), CancellationToken.None);

        var reads = await store.ReadsOfAsync("sbx_app", CancellationToken.None);
        Assert.Equal([(Restricted, "district", 5L), (Restricted, "ticketNo", 3L), (Open, "code", 10L)], reads.Select(r => (r.DatasetId, r.ColumnName, r.RowsRead)));
        Assert.All(reads, r => Assert.True(r.FirstAt <= r.LastAt));
        Assert.Empty(await store.ReadsOfAsync("live_app", CancellationToken.None));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Promote_makes_a_live_app_and_one_draft_for_the_restricted_columns_read_which_the_owner_sees_only_once_submitted(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var admin = Admin(host);
        var (sandboxId, sandboxClientId, _) = await SandboxAppAsync(host);
        // What the app read in the sandbox (the twins' read path reports it the same way): two restricted columns, one open dataset.
        var recorder = host.Required<IEnumerable<IRecordReadObserver>>().OfType<SandboxReadRecorder>().Single();
        await recorder.OnReadAsync(Caller(sandboxClientId, "sandbox"), Report(Restricted, 20, "district", "ticketNo"), CancellationToken.None);
        await recorder.OnReadAsync(Caller(sandboxClientId, "sandbox"), Report(Open, 20, "code", "name"), CancellationToken.None);

        var (liveId, liveClientId, draftId) = await PromoteAndCheckAsync(host, admin, sandboxId, sandboxClientId);

        // Once per sandbox app; a live app is not promoted; another tenant finds no such app; a sandbox credential may not promote.
        var again = await ProblemAssert.IsProblemAsync(await admin.PostAsync($"/v1/apps/{sandboxId}/promote", null), HttpStatusCode.Conflict, "sandbox.already_promoted");
        Assert.Contains(liveId, again["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await admin.PostAsync($"/v1/apps/{liveId}/promote", null), HttpStatusCode.Conflict, "sandbox.not_sandbox_app");
        await ProblemAssert.IsProblemAsync(await host.As("promo-other", "tenant:admin").PostAsync($"/v1/apps/{sandboxId}/promote", null), HttpStatusCode.NotFound, "app.not_found");
        var mismatch = await ProblemAssert.IsProblemAsync(await host.AsIn("sandbox", Tenant, "tenant:admin").PostAsync($"/v1/apps/{sandboxId}/promote", null),
            HttpStatusCode.Forbidden, "env.mismatch");
        Assert.Contains("sandbox", mismatch["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // The draft is the tenant's: listed as a draft, for the live app, with no purpose yet.
        var mine = (await PlatformHost.ReadJsonAsync(await admin.GetAsync("/v1/access-requests?role=requester&status=draft")))["items"]!.AsArray();
        var draft = Assert.Single(mine)!;
        Assert.Equal(draftId, draft["id"]!.GetValue<string>());
        Assert.Equal(liveClientId, draft["appId"]!.GetValue<string>());
        Assert.Equal("", draft["purpose"]!.GetValue<string>());
        Assert.Equal("draft", draft["history"]![0]!["action"]!.GetValue<string>());

        // No owner sees it: not in its inbox or lists, not found by id, not decidable.
        var owner = AccessScenarios.Reviewer(host, AccessScenarios.RestrictedOwner);
        Assert.DoesNotContain(await RequestIdsAsync(owner, "role=reviewer"), id => id == draftId);
        Assert.DoesNotContain(await RequestIdsAsync(AccessScenarios.Platform(host), ""), id => id == draftId);
        await ProblemAssert.IsProblemAsync(await owner.GetAsync($"/v1/access-requests/{draftId}"), HttpStatusCode.NotFound, "access.request_not_found");
        await ProblemAssert.IsProblemAsync(await AccessScenarios.DecideAsync(owner, draftId, "approve"), HttpStatusCode.NotFound, "access.request_not_found");

        // Submitted without a purpose: the field says what is missing. Completed (saved), then submitted: in the owner's inbox.
        var refused = await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync($"/v1/access-requests/{draftId}/submit", new { }), HttpStatusCode.BadRequest, "request.validation");
        Assert.NotNull(refused["errors"]!["purpose"]);
        var edited = await PlatformHost.ReadJsonAsync(await admin.PatchAsJsonAsync($"/v1/access-requests/{draftId}",
            new { purpose = "Bus arrival reminders for hotline callers in each district", durationDays = 60 }));
        Assert.Equal("draft", edited["status"]!.GetValue<string>());
        Assert.Equal(60, edited["durationDays"]!.GetValue<int>());
        Assert.DoesNotContain(await RequestIdsAsync(owner, "role=reviewer"), id => id == draftId);
        var submitted = await PlatformHost.ReadJsonAsync(await admin.PostAsync($"/v1/access-requests/{draftId}/submit", null));
        Assert.Equal("submitted", submitted["status"]!.GetValue<string>());
        Assert.Contains(draftId, await RequestIdsAsync(owner, "role=reviewer&status=submitted"));
        await ProblemAssert.IsProblemAsync(await admin.PostAsync($"/v1/access-requests/{draftId}/submit", null), HttpStatusCode.Conflict, "access.invalid_transition");

        // Approved, the grant is the live app's, for exactly the columns the sandbox app used.
        var approved = await PlatformHost.ReadJsonAsync(await AccessScenarios.DecideAsync(owner, draftId, "approve"));
        Assert.Equal("approved", approved["status"]!.GetValue<string>());
        var grants = (await PlatformHost.ReadJsonAsync(await admin.GetAsync("/v1/grants")))["items"]!.AsArray();
        var grant = Assert.Single(grants, g => g!["requestId"]!.GetValue<string>() == draftId)!;
        Assert.Equal(liveClientId, grant["appId"]!.GetValue<string>());
        Assert.Equal(["ticketNo", "district"], grant["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [TwinsServedTheory, OnEachDatabase]
    public async Task A_sandbox_app_that_read_twins_is_promoted_with_a_draft_for_exactly_the_restricted_columns_it_selected(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var admin = Admin(host);
        var (sandboxId, sandboxClientId, secret) = await SandboxAppAsync(host);
        var sandbox = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, sandboxClientId, secret));
        await WaitForTwinAsync(sandbox, $"/v1/datasets/{Restricted}/records?select=ticketNo,district&limit=5");
        await WaitForTwinAsync(sandbox, $"/v1/datasets/{Open}/records?select=code,name&limit=5");

        await PromoteAndCheckAsync(host, admin, sandboxId, sandboxClientId);
    }

    /// <summary>Promotes the sandbox app, checks the answer (a working live app, one draft for the restricted dataset's two columns) and returns the ids.</summary>
    private static async Task<(string LiveId, string LiveClientId, string DraftId)> PromoteAndCheckAsync(PlatformHost host, HttpClient admin, string sandboxId, string sandboxClientId)
    {
        var promoted = await PlatformHost.ReadJsonAsync(await admin.PostAsync($"/v1/apps/{sandboxId}/promote", null), HttpStatusCode.Created);
        Assert.Equal(sandboxId, promoted["sandboxAppId"]!.GetValue<string>());
        var app = promoted["app"]!;
        Assert.Equal("live", app["environment"]!.GetValue<string>());
        Assert.Equal(["access:request", "catalogue:read", "records:read"], app["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));
        var liveId = app["id"]!.GetValue<string>();
        var liveClientId = app["clientId"]!.GetValue<string>();
        Assert.NotEqual(sandboxId, liveId);
        Assert.NotEqual(sandboxClientId, liveClientId);
        var draft = Assert.Single(promoted["drafts"]!.AsArray())!;
        Assert.Equal(Restricted, draft["datasetId"]!.GetValue<string>());
        Assert.Equal(["ticketNo", "district"], draft["columns"]!.AsArray().Select(c => c!.GetValue<string>()));

        // The new credentials work, and speak for a live app of the same tenant.
        var live = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, liveClientId, app["clientSecret"]!.GetValue<string>()));
        var me = await PlatformHost.ReadJsonAsync(await live.GetAsync("/v1/me"));
        Assert.Equal(Tenant, me["tenant"]!.GetValue<string>());
        Assert.Equal("live", me["environment"]!.GetValue<string>());
        Assert.Equal(liveClientId, me["app"]!.GetValue<string>());
        return (liveId, liveClientId, draft["id"]!.GetValue<string>());
    }

    private static async Task<List<string>> RequestIdsAsync(HttpClient caller, string query) =>
        (await PlatformHost.ReadJsonAsync(await caller.GetAsync($"/v1/access-requests?{query}")))["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();

    /// <summary>Reads through the sandbox until the twin is served (generation runs in the background after publication).</summary>
    private static async Task WaitForTwinAsync(HttpClient sandbox, string url)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var response = await sandbox.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.Conflict && DateTime.UtcNow < until,
                $"{url}: the twin was not served: {(int)response.StatusCode} {body}");
            await Task.Delay(250);
        }
    }
}
