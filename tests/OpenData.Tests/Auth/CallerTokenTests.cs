using System.Net;
using System.Net.Http.Headers;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Auth;

/// <summary>
/// The callers of <see cref="PlatformHost.As"/> are real apps with real tokens: what production checks on every request
/// (expiry, a disabled app, the environment) holds for them too — the fake scheme they replace skipped all of it.
/// </summary>
public sealed class CallerTokenTests
{
    /// <summary>The token the caller's client sends, as the host receives it (read back through an echo of the request).</summary>
    private static async Task<string> TokenOfAsync(HttpClient caller)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        var response = await caller.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.RequestMessage!.Headers.Authorization!.Parameter!;
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_caller_is_an_app_of_its_tenant_with_exactly_the_scopes_asked_for_and_a_sandbox_caller_an_app_of_its_own(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var me = await PlatformHost.ReadJsonAsync(await host.As("caller-live", "records:read", "catalogue:read").GetAsync("/v1/me"));
        Assert.Equal("caller-live", me["tenant"]!.GetValue<string>());
        Assert.Equal("live", me["environment"]!.GetValue<string>());
        Assert.Equal(["catalogue:read", "records:read"], me["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("consumer", (string)(await host.QueryScalarAsync("SELECT kind FROM tenants WHERE id = 'caller-live'"))!);

        var sandbox = await PlatformHost.ReadJsonAsync(await host.AsIn("sandbox", "caller-live", "catalogue:read").GetAsync("/v1/me"));
        Assert.Equal("sandbox", sandbox["environment"]!.GetValue<string>());
        Assert.NotEqual(me["app"]!.GetValue<string>(), sandbox["app"]!.GetValue<string>());

        // A tenant first met with an owner's scope is an owner (an organisation that may publish).
        await PlatformHost.ReadJsonAsync(await host.As("caller-owner", "datasets:write").GetAsync("/v1/me"));
        Assert.Equal("owner", (string)(await host.QueryScalarAsync("SELECT kind FROM tenants WHERE id = 'caller-owner'"))!);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Disabling_a_callers_app_stops_its_client_on_the_next_request(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var caller = host.As("caller-disabled", "catalogue:read", "records:read");
        var clientId = (await PlatformHost.ReadJsonAsync(await caller.GetAsync("/v1/me")))["app"]!.GetValue<string>();
        var app = (string)(await host.QueryScalarAsync($"SELECT id FROM apps WHERE client_id = '{clientId}'"))!;

        Assert.Equal(HttpStatusCode.NoContent, (await host.As("platform", "platform:admin", "tenant:admin").DeleteAsync($"/v1/apps/{app}")).StatusCode);

        var refused = await caller.GetAsync("/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter!.Contains("invalid_token", StringComparison.Ordinal));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task When_the_hosts_clock_passes_a_tokens_expiry_the_token_is_refused_and_the_caller_takes_a_new_one(string db)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await PlatformHost.StartAsync(db, clock: clock);
        var caller = host.As("caller-expiring", "catalogue:read");
        var first = await TokenOfAsync(caller);

        clock.Advance(TimeSpan.FromHours(2));

        var stale = host.Anonymous();
        stale.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stale.GetAsync("/v1/me")).StatusCode);
        var second = await TokenOfAsync(caller);
        Assert.NotEqual(first, second);
    }
}
