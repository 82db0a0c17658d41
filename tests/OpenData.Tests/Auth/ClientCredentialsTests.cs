using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Auth;

/// <summary>The token server over real HTTP: client credentials, scopes, rotation, disabling, revocation, introspection, restarts.</summary>
public sealed class ClientCredentialsTests
{
    private static async Task<(string ClientId, string Secret, string AppId)> CreateAppAsync(PlatformHost host, string tenant, params string[] scopes)
    {
        var op = host.As("platform", "platform:admin", "tenant:admin");
        await op.PostAsJsonAsync("/v1/tenants", new { id = tenant, name = tenant, kind = "consumer" });
        var app = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{tenant}/apps", new { name = "app", scopes }), HttpStatusCode.Created);
        return (app["clientId"]!.GetValue<string>(), app["clientSecret"]!.GetValue<string>(), app["id"]!.GetValue<string>());
    }

    private static Task<HttpResponseMessage> TokenAsync(PlatformHost host, string clientId, string secret, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        return host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(form));
    }

    private static async Task<string> AccessTokenAsync(PlatformHost host, string clientId, string secret, string? scope = null)
    {
        var response = await TokenAsync(host, clientId, secret, scope);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        return body["access_token"]!.GetValue<string>();
    }

    private static HttpClient Bearer(PlatformHost host, string token)
    {
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_app_gets_a_JWT_that_speaks_for_its_tenant_and_only_its_scopes(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var discovery = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/.well-known/openid-configuration"));
        Assert.EndsWith("/connect/token", discovery["token_endpoint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/revoke", discovery["revocation_endpoint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/introspect", discovery["introspection_endpoint"]!.GetValue<string>(), StringComparison.Ordinal);
        var jwks = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync(new Uri(discovery["jwks_uri"]!.GetValue<string>()).PathAndQuery));
        Assert.NotEmpty(jwks["keys"]!.AsArray());

        var (clientId, secret, _) = await CreateAppAsync(host, "team-a", "catalogue:read", "records:read");
        var token = await AccessTokenAsync(host, clientId, secret);
        Assert.Equal(3, token.Split('.').Length);
        var me = await PlatformHost.ReadJsonAsync(await Bearer(host, token).GetAsync("/v1/me"));
        Assert.Equal("team-a", me["tenant"]!.GetValue<string>());
        Assert.Equal(clientId, me["app"]!.GetValue<string>());
        Assert.Equal("live", me["environment"]!.GetValue<string>());
        Assert.Equal(["catalogue:read", "records:read"], me["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        var narrow = await AccessTokenAsync(host, clientId, secret, "records:read");
        Assert.Equal(["records:read"], (await PlatformHost.ReadJsonAsync(await Bearer(host, narrow).GetAsync("/v1/me")))["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        var refused = await TokenAsync(host, clientId, secret, "records:read datasets:write");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_scope", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        var wrong = await TokenAsync(host, clientId, secret + "x");
        Assert.Equal("invalid_client", JsonNode.Parse(await wrong.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        var unknown = await TokenAsync(host, "od_nobody", secret);
        Assert.Equal("invalid_client", JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());

        // The token's scopes are what policies see: no datasets:write, so no publishing.
        await ProblemAssert.IsProblemAsync(await Bearer(host, token).PostAsJsonAsync("/v1/datasets", new { id = "x" }), HttpStatusCode.Forbidden, "auth.insufficient_scope");
        await ProblemAssert.IsProblemAsync(await Bearer(host, "not.a.token").GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "auth.token_required");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Rotation_disabling_and_revocation_take_effect_on_the_next_request(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var (clientId, secret, appId) = await CreateAppAsync(host, "team-b", "catalogue:read", "records:read");
        var admin = host.As("team-b", "tenant:admin");

        var token = await AccessTokenAsync(host, clientId, secret);
        var rotated = (await PlatformHost.ReadJsonAsync(await admin.PostAsync($"/v1/apps/{appId}/secret", null)))["clientSecret"]!.GetValue<string>();
        Assert.Equal("invalid_client", JsonNode.Parse(await (await TokenAsync(host, clientId, secret)).Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        var second = await AccessTokenAsync(host, clientId, rotated);
        // Used once, so this node remembers its verified signature: revocation must still win on the next request.
        Assert.Equal(HttpStatusCode.OK, (await Bearer(host, second).GetAsync("/v1/me")).StatusCode);

        // Revocation (RFC 7009) by the app itself, then introspection (RFC 7662) says inactive.
        var introspect = await host.Anonymous().PostAsync("/connect/introspect", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["token"] = second, ["client_id"] = clientId, ["client_secret"] = rotated }));
        Assert.True(JsonNode.Parse(await introspect.Content.ReadAsStringAsync())!["active"]!.GetValue<bool>());
        // Another app may not read this token's claims through introspection.
        var (otherId, otherSecret, _) = await CreateAppAsync(host, "team-b2", "records:read");
        var foreign = await host.Anonymous().PostAsync("/connect/introspect", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["token"] = second, ["client_id"] = otherId, ["client_secret"] = otherSecret }));
        var foreignText = await foreign.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"active\": true", foreignText, StringComparison.Ordinal);
        Assert.DoesNotContain(clientId, foreignText, StringComparison.Ordinal);
        var revoke = await host.Anonymous().PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["token"] = second, ["client_id"] = clientId, ["client_secret"] = rotated }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        await ProblemAssert.IsProblemAsync(await Bearer(host, second).GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "auth.token_required");
        var after = await host.Anonymous().PostAsync("/connect/introspect", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["token"] = second, ["client_id"] = clientId, ["client_secret"] = rotated }));
        Assert.False(JsonNode.Parse(await after.Content.ReadAsStringAsync())!["active"]!.GetValue<bool>());

        // The first token was not revoked and still works, until the app is disabled.
        Assert.Equal(HttpStatusCode.OK, (await Bearer(host, token).GetAsync("/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/apps/{appId}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await Bearer(host, token).GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "auth.token_required");
        Assert.Equal("invalid_client", JsonNode.Parse(await (await TokenAsync(host, clientId, rotated)).Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Tokens_stay_valid_across_a_restart_and_on_another_node(string db)
    {
        // Nodes behind one load balancer share the public issuer; each test node has a port of its own.
        var first = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Auth:Issuer"] = "https://opendata.test/" });
        var (clientId, secret, _) = await CreateAppAsync(first, "team-c", "records:read");
        var token = await AccessTokenAsync(first, clientId, secret);
        await using var host = await first.RestartAsync();
        Assert.Equal(HttpStatusCode.OK, (await Bearer(host, token).GetAsync("/v1/me")).StatusCode);
        await using var peer = await host.StartPeerAsync();
        Assert.Equal(HttpStatusCode.OK, (await Bearer(peer, token).GetAsync("/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Bearer(peer, await AccessTokenAsync(peer, clientId, secret)).GetAsync("/v1/me")).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_configured_operator_app_holds_every_scope(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?>
        {
            ["OpenData:Operator:ClientId"] = "ops",
            ["OpenData:Operator:ClientSecret"] = "a-long-operator-secret",
        });
        var token = await AccessTokenAsync(host, "ops", "a-long-operator-secret");
        var me = await PlatformHost.ReadJsonAsync(await Bearer(host, token).GetAsync("/v1/me"));
        Assert.Equal("platform", me["tenant"]!.GetValue<string>());
        Assert.Contains("platform:admin", me["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        await PlatformHost.ReadJsonAsync(await Bearer(host, token).PostAsJsonAsync("/v1/tenants", new { name = "via token", kind = "consumer" }), HttpStatusCode.Created);
    }
}
