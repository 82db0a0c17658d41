using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Tenancy;

public sealed class TenancyTests
{
    private static HttpClient Operator(PlatformHost host) => host.As("platform", "platform:admin", "tenant:admin", "catalogue:read", "records:read");

    [DatabaseTheory, OnEachDatabase]
    public async Task The_operator_creates_tenants_and_an_owner_tenant_becomes_a_publishing_organisation(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var op = Operator(host);
        var consumer = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { name = "宁波数智科技有限公司", kind = "consumer" }), HttpStatusCode.Created);
        Assert.Equal("consumer", consumer["kind"]!.GetValue<string>());
        Assert.Equal("free", consumer["plan"]!.GetValue<string>());
        Assert.StartsWith("t-", consumer["id"]!.GetValue<string>(), StringComparison.Ordinal);

        var owner = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { id = "ningbo-transport", name = "宁波市交通运输局", nameEn = "Ningbo Transport Bureau", kind = "owner", plan = "partner" }), HttpStatusCode.Created);
        Assert.Equal("ningbo-transport", owner["id"]!.GetValue<string>());
        var organisations = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/organisations"));
        Assert.Contains(organisations["items"]!.AsArray(), o => o!["id"]!.GetValue<string>() == "ningbo-transport" && o["nameEn"]!.GetValue<string>() == "Ningbo Transport Bureau");
        await host.CreateDatasetAsync(host.As("ningbo-transport", "datasets:write"), "bus-stops", "open", ("stop", "string"));

        await ProblemAssert.IsProblemAsync(await op.PostAsJsonAsync("/v1/tenants", new { id = "ningbo-transport", name = "again", kind = "owner" }), HttpStatusCode.Conflict, "tenant.exists");
        var invalid = await ProblemAssert.IsProblemAsync(await op.PostAsJsonAsync("/v1/tenants", new { id = "Bad Id", name = "", kind = "platform", plan = "gold" }), HttpStatusCode.BadRequest, "request.validation");
        Assert.Equal(["id", "kind", "name", "plan"], invalid["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        await ProblemAssert.IsProblemAsync(await host.As(consumer["id"]!.GetValue<string>(), "tenant:admin").PostAsJsonAsync("/v1/tenants", new { name = "x", kind = "consumer" }), HttpStatusCode.Forbidden, "auth.insufficient_scope");
        await ProblemAssert.IsProblemAsync(await host.Anonymous().PostAsJsonAsync("/v1/tenants", new { name = "x", kind = "consumer" }), HttpStatusCode.Unauthorized, "auth.token_required");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Apps_show_their_secret_once_and_tenants_never_see_each_other(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var op = Operator(host);
        var a = (await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { id = "team-a", name = "A", kind = "consumer" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        var b = (await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { id = "team-b", name = "B", kind = "consumer" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        var adminA = host.As(a, "tenant:admin", "catalogue:read");
        var adminB = host.As(b, "tenant:admin");

        var app = await PlatformHost.ReadJsonAsync(await adminA.PostAsJsonAsync($"/v1/tenants/{a}/apps", new { name = "公交查询", scopes = new[] { "records:read", "catalogue:read" } }), HttpStatusCode.Created);
        var secret = app["clientSecret"]!.GetValue<string>();
        Assert.StartsWith("ods_", secret, StringComparison.Ordinal);
        Assert.True(secret.Length >= 40);
        Assert.Equal("live", app["environment"]!.GetValue<string>());
        var appId = app["id"]!.GetValue<string>();

        // Another tenant's ids answer 404, never 403.
        await ProblemAssert.IsProblemAsync(await adminB.GetAsync($"/v1/tenants/{a}"), HttpStatusCode.NotFound, "tenant.not_found");
        await ProblemAssert.IsProblemAsync(await adminB.PostAsJsonAsync($"/v1/tenants/{a}/apps", new { name = "x" }), HttpStatusCode.NotFound, "tenant.not_found");
        await ProblemAssert.IsProblemAsync(await adminB.PostAsync($"/v1/apps/{appId}/secret", null), HttpStatusCode.NotFound, "app.not_found");
        await ProblemAssert.IsProblemAsync(await adminB.DeleteAsync($"/v1/apps/{appId}"), HttpStatusCode.NotFound, "app.not_found");
        await ProblemAssert.IsProblemAsync(await adminB.GetAsync($"/v1/tenants/{a}/members"), HttpStatusCode.NotFound, "tenant.not_found");

        var rotated = await PlatformHost.ReadJsonAsync(await adminA.PostAsync($"/v1/apps/{appId}/secret", null));
        Assert.Equal(app["clientId"]!.GetValue<string>(), rotated["clientId"]!.GetValue<string>());
        Assert.NotEqual(secret, rotated["clientSecret"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await adminA.DeleteAsync($"/v1/apps/{appId}")).StatusCode);

        // Nothing the API answers carries a secret or its hash after creation.
        var tenant = await (await adminA.GetAsync($"/v1/tenants/{a}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, tenant, StringComparison.Ordinal);

        var refused = await ProblemAssert.IsProblemAsync(await adminA.PostAsJsonAsync($"/v1/tenants/{a}/apps", new { name = "greedy", scopes = new[] { "datasets:write", "platform:admin" }, environment = "prod", redirectUris = new[] { "not a uri" } }), HttpStatusCode.BadRequest, "request.validation");
        Assert.Equal(["environment", "redirectUris", "scopes"], refused["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        await ProblemAssert.IsProblemAsync(await host.As(a, "records:read").PostAsJsonAsync($"/v1/tenants/{a}/apps", new { name = "x" }), HttpStatusCode.Forbidden, "auth.insufficient_scope");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Members_get_scopes_from_their_role_and_passwords_are_never_returned(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var op = Operator(host);
        var admin = host.As("ningbo-12345-hotline", "tenant:admin");
        var reviewer = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync("/v1/tenants/ningbo-12345-hotline/members",
            new { email = "Li.Ming@Example.org", name = "李明", role = "reviewer", password = "correct horse battery" }), HttpStatusCode.Created);
        Assert.Equal("li.ming@example.org", reviewer["email"]!.GetValue<string>());
        Assert.Contains("access:review", reviewer["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.DoesNotContain("datasets:write", reviewer["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        await ProblemAssert.IsProblemAsync(await op.PostAsJsonAsync("/v1/tenants/ningbo-12345-hotline/members",
            new { email = "li.ming@example.org", name = "again", role = "developer", password = "0123456789" }), HttpStatusCode.Conflict, "member.exists");
        var invalid = await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync("/v1/tenants/ningbo-12345-hotline/members",
            new { email = "nobody", name = "x", role = "boss", password = "short" }), HttpStatusCode.BadRequest, "request.validation");
        Assert.Equal(["email", "password", "role"], invalid["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));

        var list = await (await op.GetAsync("/v1/tenants/ningbo-12345-hotline/members")).Content.ReadAsStringAsync();
        Assert.Contains("李明", list, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", list, StringComparison.Ordinal);
        Assert.DoesNotContain("password", list, StringComparison.OrdinalIgnoreCase);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Overrides_change_single_limits_and_me_says_who_the_token_speaks_for(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var op = Operator(host);
        await op.PostAsJsonAsync("/v1/tenants", new { id = "contest-team", name = "Team", kind = "consumer", plan = "contest" });
        var patched = await PlatformHost.ReadJsonAsync(await op.PatchAsJsonAsync("/v1/tenants/contest-team", new { limits = new Dictionary<string, long?> { ["dailyRequests"] = 5, ["burst"] = 2 } }));
        Assert.Equal(5, patched["limits"]!["dailyRequests"]!.GetValue<long>());
        var removed = await PlatformHost.ReadJsonAsync(await op.PatchAsJsonAsync("/v1/tenants/contest-team", new { plan = "partner", limits = new Dictionary<string, long?> { ["burst"] = null } }));
        Assert.Equal("partner", removed["plan"]!.GetValue<string>());
        Assert.Equal(["dailyRequests"], removed["limits"]!.AsObject().Select(l => l.Key));
        await ProblemAssert.IsProblemAsync(await op.PatchAsJsonAsync("/v1/tenants/contest-team", new { limits = new Dictionary<string, long?> { ["speed"] = 1 } }), HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await op.PatchAsJsonAsync("/v1/tenants/nobody", new { plan = "free" }), HttpStatusCode.NotFound, "tenant.not_found");

        var me = await PlatformHost.ReadJsonAsync(await host.As("contest-team", "records:read catalogue:read").GetAsync("/v1/me"));
        Assert.Equal("contest-team", me["tenant"]!.GetValue<string>());
        Assert.Equal("partner", me["plan"]!.GetValue<string>());
        Assert.Equal(["catalogue:read", "records:read"], me["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "auth.token_required");
    }
}
