using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Auth;

/// <summary>What a person's browser and a third-party app do with the token server, step by step, for tests that attack one step.</summary>
internal static partial class OAuthFlows
{
    public const string Redirect = "http://client.test/callback";

    [GeneratedRegex("type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();

    /// <summary>A tenant with a code-flow app and a person who may sign in.</summary>
    public static async Task<(string ClientId, string Secret)> CodeFlowAppAsync(PlatformHost host, string tenant, string email, string password)
    {
        var op = host.As("platform", "platform:admin", "tenant:admin");
        await op.PostAsJsonAsync("/v1/tenants", new { id = tenant, name = tenant, kind = "consumer" });
        var app = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{tenant}/apps",
            new { name = "第三方应用", scopes = new[] { "catalogue:read", "records:read", "access:request" }, redirectUris = new[] { Redirect } }), HttpStatusCode.Created);
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{tenant}/members",
            new { email, name = "王芳", role = "developer", password }), HttpStatusCode.Created);
        return (app["clientId"]!.GetValue<string>(), app["clientSecret"]!.GetValue<string>());
    }

    public static HttpClient Browser(PlatformHost host, string? forwardedFor = null)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        if (forwardedFor is not null)
        {
            browser.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
        return browser;
    }

    /// <summary>The hidden fields of the first form on a page (antiforgery token, return URL, the OAuth request).</summary>
    public static Dictionary<string, string> HiddenFields(string page) =>
        HiddenField().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));

    /// <summary>Opens the sign-in page (for its antiforgery token) and posts the form.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string email, string password, string returnUrl = "/")
    {
        var page = await browser.GetStringAsync("/account/signin?ReturnUrl=" + Uri.EscapeDataString("/"));
        var fields = HiddenFields(page);
        fields["email"] = email;
        fields["password"] = password;
        fields["returnUrl"] = returnUrl;
        return await browser.PostAsync("/account/signin", new FormUrlEncodedContent(fields));
    }

    /// <summary>Signs the person in, allows the app's request, and returns the code with its PKCE verifier.</summary>
    public static async Task<(string Code, string Verifier)> AuthorizeAsync(PlatformHost host, string clientId, string email, string password, string scope = "records:read offline_access")
    {
        using var browser = Browser(host);
        var verifier = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = $"/connect/authorize?response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(Redirect)}" +
            $"&scope={Uri.EscapeDataString(scope)}&state=xyz&code_challenge={challenge}&code_challenge_method=S256";
        var signedIn = await SignInAsync(browser, email, password, authorize);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var fields = HiddenFields(await browser.GetStringAsync(authorize));
        fields["consent"] = "allow";
        var allowed = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        var code = System.Web.HttpUtility.ParseQueryString(allowed.Headers.Location!.Query)["code"]!;
        return (code, verifier);
    }

    public static async Task<(HttpStatusCode Status, JsonNode Body)> ExchangeAsync(PlatformHost host, IDictionary<string, string> form)
    {
        var response = await host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(form));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public static async Task<string> ClientTokenAsync(PlatformHost host, string clientId, string secret)
    {
        var (status, body) = await ExchangeAsync(host, new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret });
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return body["access_token"]!.GetValue<string>();
    }

    public static HttpClient Bearer(PlatformHost host, string token)
    {
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
