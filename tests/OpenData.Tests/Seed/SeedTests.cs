using System.Net;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Seed;

/// <summary>
/// Issue 21: the generated demonstration datasets (made-up people's names, phones and ID cards) are seeded only in
/// Development unless asked for; the real open data is seeded everywhere. In Development the demo credentials complete the
/// README's stories: the restricted dataset's owner has an app, and a code-flow app has a redirect URI.
/// </summary>
public sealed class SeedTests
{
    private static async Task<string[]> DatasetIdsAsync(PlatformHost host) =>
        (await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets?limit=100")))["items"]!.AsArray()
            .Select(d => d!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();

    [DatabaseTheory, OnEachDatabase]
    public async Task Outside_Development_only_the_real_open_data_is_seeded_unless_demo_data_is_asked_for(string db)
    {
        await using (var production = await PlatformHost.StartAsync(db, environment: "Production"))
        {
            Assert.Equal(["ningbo-villages"], await DatasetIdsAsync(production));
        }
        await using var asked = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Seed:DemoData"] = "true" }, environment: "Production");
        Assert.Equal(["hotline-12345-requests", "ningbo-air-quality-daily", "ningbo-food-business-licences", "ningbo-villages"], await DatasetIdsAsync(asked));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Development_can_be_told_to_leave_demo_data_out_and_seed_adds_it_later_when_asked(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Seed:DemoData"] = "false" });
        Assert.Equal(["ningbo-villages"], await DatasetIdsAsync(host));

        var environment = Cli.OperatorProcess.EnvironmentFor(host);
        environment["OpenData__Seed__DemoData"] = "false";
        var plain = await Cli.OperatorProcess.RunAsync(environment, "seed");
        Assert.Contains("0 dataset(s) loaded", plain.Output, StringComparison.Ordinal);
        var demo = await Cli.OperatorProcess.RunAsync(environment, "seed", "--demo");
        Assert.True(demo.ExitCode == 0, demo.Output);
        Assert.Contains("3 dataset(s) loaded", demo.Output, StringComparison.Ordinal);
        Assert.Equal(4, (await DatasetIdsAsync(host)).Length);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_restricted_datasets_owner_has_a_demo_app_that_can_approve_a_request(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, "demo-consumer-app", "demo-consumer-secret"));
        var hotline = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, "demo-hotline-app", "demo-hotline-secret"));
        Assert.Equal("ningbo-12345-hotline", (await PlatformHost.ReadJsonAsync(await hotline.GetAsync("/v1/me")))["tenant"]!.GetValue<string>());

        var request = await PlatformHost.ReadJsonAsync(await consumer.PostAsync("/v1/access-requests", Json(
            """{"datasetId":"hotline-12345-requests","columns":["ticketNo","district","category","callerName"],"purpose":"研究各区诉求类别分布 research","durationDays":30}""")),
            HttpStatusCode.Created);
        var id = request["id"]!.GetValue<string>();
        await PlatformHost.ReadJsonAsync(await hotline.PostAsync($"/v1/access-requests/{id}/decision", Json("""{"decision":"approve","reason":"用途明确 purpose is clear"}""")));

        var page = await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/datasets/hotline-12345-requests/records?limit=1"));
        var row = page["items"]![0]!.AsObject();
        Assert.Equal(["callerName", "category", "district", "ticketNo"], row.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_code_flow_demo_app_lands_on_the_hosts_callback_page_and_its_code_exchanges(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        const string redirect = "http://127.0.0.1:5080/demo/callback";
        using var browser = OAuthFlows.Browser(host);
        var verifier = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var challenge = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var authorize = $"/connect/authorize?response_type=code&client_id=demo-web-app&redirect_uri={Uri.EscapeDataString(redirect)}" +
            $"&scope={Uri.EscapeDataString("records:read offline_access")}&state=demo&code_challenge={challenge}&code_challenge_method=S256";
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, "developer@demo.opendata.local", "demo-password-2026", authorize)).StatusCode);
        var fields = OAuthFlows.HiddenFields(await browser.GetStringAsync(authorize));
        fields["consent"] = "allow";
        var allowed = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        var location = allowed.Headers.Location!;
        Assert.StartsWith(redirect + "?", location.ToString(), StringComparison.Ordinal);

        // The host's own callback page shows the code and how to exchange it.
        var callback = await browser.GetAsync("/demo/callback" + location.Query);
        var html = await callback.Content.ReadAsStringAsync();
        var code = System.Web.HttpUtility.ParseQueryString(location.Query)["code"]!;
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(code), html, StringComparison.Ordinal);
        Assert.Contains("grant_type=authorization_code", html, StringComparison.Ordinal);

        var (status, body) = await OAuthFlows.ExchangeAsync(host, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = "demo-web-app", ["client_secret"] = "demo-web-secret",
            ["redirect_uri"] = redirect, ["code_verifier"] = verifier, ["code"] = code,
        });
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        var me = await PlatformHost.ReadJsonAsync(await OAuthFlows.Bearer(host, body["access_token"]!.GetValue<string>()).GetAsync("/v1/me"));
        Assert.Equal("demo-consumer", me["tenant"]!.GetValue<string>());
        Assert.NotNull(body["refresh_token"]);
    }

    [Fact]
    public async Task Signing_in_without_a_return_URL_lands_on_a_page_that_says_who_is_signed_in()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var browser = OAuthFlows.Browser(host);
        var anonymous = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal("text/html", anonymous.Content.Headers.ContentType!.MediaType);
        var before = await anonymous.Content.ReadAsStringAsync();
        Assert.Contains("href=\"/account/signin?returnUrl=%2F\"", before, StringComparison.Ordinal);
        Assert.Contains("href=\"/docs\"", before, StringComparison.Ordinal);

        var page = await browser.GetStringAsync("/account/signin");
        var fields = OAuthFlows.HiddenFields(page);
        Assert.Equal("/", fields["returnUrl"]);
        fields["email"] = "developer@demo.opendata.local";
        fields["password"] = "demo-password-2026";
        var signedIn = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(fields));
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        var after = await browser.GetStringAsync("/");
        // The portal's header, in its default language.
        Assert.Contains("已登录：演示开发者（demo-consumer）", after, StringComparison.Ordinal);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
