using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Auth;

public sealed class DemoAccountsTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task The_demo_credentials_of_the_README_work_in_Development(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        foreach (var (clientId, secret, tenant) in new[] { ("demo-consumer-app", "demo-consumer-secret", "demo-consumer"), ("demo-owner-app", "demo-owner-secret", "ningbo-civil-affairs"), ("demo-operator", "demo-operator-secret", "platform") })
        {
            var response = await host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
                { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret }));
            var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
            var client = host.Anonymous();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(tenant, (await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/me")))["tenant"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_demo_people_of_the_README_sign_in_to_the_console_of_their_kind_of_tenant()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        // The developer sees the developer's tabs only; the owner also its datasets; the operator also the tenants.
        foreach (var (email, heading, shows, hides) in new[]
        {
            ("developer@demo.opendata.local", "开发者控制台", "href=\"/console/try\"", "href=\"/console/datasets\""),
            ("owner@demo.opendata.local", "数源单位控制台", "href=\"/console/datasets\"", "href=\"/console/tenants\""),
            ("operator@demo.opendata.local", "平台运营控制台", "href=\"/console/tenants\"", "href=\"/console/datasets\""),
        })
        {
            using var browser = OAuthFlows.Browser(host);
            Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, email, "demo-password-2026")).StatusCode);
            var console = await browser.GetAsync("/console");
            Assert.Equal(HttpStatusCode.OK, console.StatusCode);
            var html = await console.Content.ReadAsStringAsync();
            Assert.Contains($"<h1 class=\"h2\">{heading}</h1>", html, StringComparison.Ordinal);
            Assert.Contains(shows, html, StringComparison.Ordinal);
            Assert.DoesNotContain(hides, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Outside_Development_the_host_refuses_to_start_with_a_demo_secret()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?>
        {
            ["OpenData:Operator:ClientId"] = "ops",
            ["OpenData:Operator:ClientSecret"] = "demo-operator-secret",
        }, environment: "Production"));
        Assert.Contains("demo secret", error.ToString(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Outside_Development_the_host_refuses_to_start_while_a_demo_app_keeps_its_demo_secret(string db)
    {
        var development = await PlatformHost.StartAsync(db);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var production = await development.RestartAsync(environment: "Production");
        });
        Assert.Contains("still has its demo secret", error.ToString(), StringComparison.Ordinal);
        await development.DisposeAsync();
    }
}
