using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Tenancy;

/// <summary>
/// <c>PATCH /v1/tenants/{id}</c> with <c>disabled</c>: a disabled tenant's app tokens answer 401 on their next request and get
/// no new ones, its people's tokens and refresh tokens stop, they cannot sign in (told why); enabled again, all works as before.
/// A reason is required, the platform's own tenant cannot be disabled, only the operator may do it, and each change is audited.
/// </summary>
public sealed class TenantDisableTests
{
    private const string Tenant = "disable-co";
    private const string Email = "wang@disable.test";
    private const string Password = "a-good-password";

    private static HttpClient Operator(PlatformHost host) =>
        host.As("platform", "platform:admin", "tenant:admin", "catalogue:read", "records:read");

    [DatabaseTheory, OnEachDatabase]
    public async Task A_disabled_tenants_tokens_sign_ins_and_refresh_tokens_stop_at_once_and_work_again_once_enabled(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var op = Operator(host);
        var (codeClientId, codeSecret) = await OAuthFlows.CodeFlowAppAsync(host, Tenant, Email, Password);
        var app = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{Tenant}/apps", new { name = "机器应用" }), HttpStatusCode.Created);
        var (clientId, secret) = (app["clientId"]!.GetValue<string>(), app["clientSecret"]!.GetValue<string>());
        var appToken = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, clientId, secret));
        var (code, verifier) = await OAuthFlows.AuthorizeAsync(host, codeClientId, Email, Password);
        var (status, person) = await OAuthFlows.ExchangeAsync(host, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = OAuthFlows.Redirect,
            ["code_verifier"] = verifier, ["client_id"] = codeClientId, ["client_secret"] = codeSecret,
        });
        Assert.True(status == HttpStatusCode.OK, person.ToJsonString());
        var personToken = OAuthFlows.Bearer(host, person["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await appToken.GetAsync("/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await personToken.GetAsync("/v1/me")).StatusCode);
        using var browser = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, Email, Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/console")).StatusCode);

        var disabled = await PlatformHost.ReadJsonAsync(await op.PatchAsJsonAsync($"/v1/tenants/{Tenant}", new { disabled = true, reason = "违反数据使用协议第 3 条" }));
        Assert.True(disabled["disabled"]!.GetValue<bool>());
        Assert.Equal("违反数据使用协议第 3 条", disabled["disabledReason"]!.GetValue<string>());
        Assert.NotNull(disabled["disabledAt"]);

        // Tokens issued before stop on their next request; no new token is issued; the refresh token is refused.
        var refused = await ProblemAssert.IsProblemAsync(await appToken.GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "auth.token_required");
        Assert.NotNull(refused);
        await ProblemAssert.IsProblemAsync(await personToken.GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "auth.token_required");
        var (newStatus, newBody) = await OAuthFlows.ExchangeAsync(host, new Dictionary<string, string>
            { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret });
        Assert.NotEqual(HttpStatusCode.OK, newStatus);
        Assert.Equal("invalid_client", newBody["error"]!.GetValue<string>());
        var (refreshStatus, refreshBody) = await OAuthFlows.ExchangeAsync(host, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = person["refresh_token"]!.GetValue<string>(),
            ["client_id"] = codeClientId, ["client_secret"] = codeSecret,
        });
        Assert.NotEqual(HttpStatusCode.OK, refreshStatus);
        Assert.Null(refreshBody["access_token"]);

        // The person is signed out of the console, and signing in again says why (only after the right password).
        var console = await browser.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, console.StatusCode);
        Assert.Contains("/account/signin", console.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var again = OAuthFlows.Browser(host);
        var signIn = await OAuthFlows.SignInAsync(again, Email, Password);
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Contains("违反数据使用协议第 3 条", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var wrong = await OAuthFlows.SignInAsync(OAuthFlows.Browser(host), Email, "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain("违反数据使用协议", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await again.GetAsync("/console")).StatusCode);

        // Other tenants are untouched.
        Assert.Equal(HttpStatusCode.OK, (await host.As("other-co", "catalogue:read").GetAsync("/v1/me")).StatusCode);

        // Enabled again: the old token works (it has not expired), new tokens are issued, the person signs in.
        var enabled = await PlatformHost.ReadJsonAsync(await op.PatchAsJsonAsync($"/v1/tenants/{Tenant}", new { disabled = false }));
        Assert.False(enabled["disabled"]!.GetValue<bool>());
        Assert.Null(enabled["disabledReason"]);
        Assert.Equal(HttpStatusCode.OK, (await appToken.GetAsync("/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, clientId, secret)).GetAsync("/v1/me")).StatusCode);
        using var third = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(third, Email, Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await third.GetAsync("/console")).StatusCode);

        // Both changes are in the audit log, with the reason and the operator's tenant.
        var audit = await PlatformHost.ReadJsonAsync(await op.GetAsync("/v1/audit?type=tenant.disabled"));
        var entry = Assert.Single(audit["items"]!.AsArray(), e => e!["subject"]?.GetValue<string>() == Tenant)!;
        Assert.Equal("platform", entry["actorTenant"]!.GetValue<string>());
        Assert.Equal("违反数据使用协议第 3 条", entry["details"]!["reason"]!.GetValue<string>());
        Assert.Contains((await PlatformHost.ReadJsonAsync(await op.GetAsync("/v1/audit?type=tenant.enabled")))["items"]!.AsArray(),
            e => e!["subject"]?.GetValue<string>() == Tenant);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Disabling_needs_a_reason_the_operator_and_never_reaches_the_platforms_own_tenant(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var op = Operator(host);
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { id = Tenant, name = "停用测试", kind = "consumer" }), HttpStatusCode.Created);

        var noReason = await ProblemAssert.IsProblemAsync(await op.PatchAsJsonAsync($"/v1/tenants/{Tenant}", new { disabled = true, reason = "  " }), HttpStatusCode.BadRequest, "request.validation");
        Assert.Equal(["reason"], noReason["errors"]!.AsObject().Select(e => e.Key));
        await ProblemAssert.IsProblemAsync(await op.PatchAsJsonAsync($"/v1/tenants/{Tenant}", new { disabled = true, reason = new string('长', 501) }), HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await op.PatchAsJsonAsync("/v1/tenants/platform", new { disabled = true, reason = "试试" }), HttpStatusCode.Conflict, "tenant.platform_protected");
        await ProblemAssert.IsProblemAsync(await op.PatchAsJsonAsync("/v1/tenants/no-such-tenant", new { disabled = true, reason = "x" }), HttpStatusCode.NotFound, "tenant.not_found");
        await ProblemAssert.IsProblemAsync(await host.As(Tenant, "tenant:admin").PatchAsJsonAsync($"/v1/tenants/{Tenant}", new { disabled = false }), HttpStatusCode.Forbidden, "auth.insufficient_scope");
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/v1/me")).StatusCode);

        // Disabling changes nothing else: plan and overrides stay as they were, and a plain PATCH of limits leaves it disabled.
        await PlatformHost.ReadJsonAsync(await op.PatchAsJsonAsync($"/v1/tenants/{Tenant}", new { limits = new { dailyRows = 10 } }));
        var off = await PlatformHost.ReadJsonAsync(await op.PatchAsJsonAsync($"/v1/tenants/{Tenant}", new { disabled = true, reason = "欠费" }));
        Assert.Equal(10, off["limits"]!["dailyRows"]!.GetValue<long>());
        var still = await PlatformHost.ReadJsonAsync(await op.PatchAsJsonAsync($"/v1/tenants/{Tenant}", new { plan = "partner" }));
        Assert.True(still["disabled"]!.GetValue<bool>());
        Assert.Equal("partner", still["plan"]!.GetValue<string>());
        Assert.Equal("欠费", (await PlatformHost.ReadJsonAsync(await op.GetAsync($"/v1/tenants/{Tenant}")))["disabledReason"]!.GetValue<string>());
    }
}
