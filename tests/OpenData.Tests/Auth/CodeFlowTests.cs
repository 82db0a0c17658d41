using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Auth;

/// <summary>Authorisation code with PKCE through the sign-in and consent pages, with a real cookie jar; refresh; single use.</summary>
public sealed class CodeFlowTests
{
    private const string Redirect = OAuthFlows.Redirect;

    [DatabaseTheory, OnEachDatabase]
    public async Task A_person_signs_in_consents_and_the_app_exchanges_the_code_with_its_verifier(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var (clientId, secret) = await OAuthFlows.CodeFlowAppAsync(host, "people", "wang@people.test", "a-good-password");

        using var browser = OAuthFlows.Browser(host);
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = $"/connect/authorize?response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(Redirect)}" +
            $"&scope={Uri.EscapeDataString("records:read offline_access")}&state=xyz&code_challenge={challenge}&code_challenge_method=S256";

        // Not signed in: sent to the sign-in page, which comes back here.
        var first = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var signInUrl = first.Headers.Location!.ToString();
        Assert.StartsWith("/account/signin", new Uri(host.BaseAddress, signInUrl).PathAndQuery, StringComparison.Ordinal);
        var returnUrl = System.Web.HttpUtility.ParseQueryString(new Uri(host.BaseAddress, signInUrl).Query)["ReturnUrl"]!;
        Assert.Contains("<form", await browser.GetStringAsync(signInUrl), StringComparison.Ordinal);

        var wrong = await OAuthFlows.SignInAsync(browser, "wang@people.test", "nope", returnUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var signedIn = await OAuthFlows.SignInAsync(browser, "WANG@people.test", "a-good-password", returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(returnUrl, signedIn.Headers.Location!.ToString());

        // Consent page, then allow.
        var consentPage = await browser.GetAsync(returnUrl);
        // The consent page may not be framed (clickjacking the Allow button) and may post only here and to the client.
        PageHeadersAssert.Secure(consentPage, "consent");
        Assert.Contains("form-action 'self' http://client.test;", consentPage.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var consent = await consentPage.Content.ReadAsStringAsync();
        Assert.Contains("第三方应用", consent, StringComparison.Ordinal);
        Assert.Contains("records:read", consent, StringComparison.Ordinal);
        var fields = OAuthFlows.HiddenFields(consent);
        fields["consent"] = "allow";
        var allowed = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        var callback = allowed.Headers.Location!;
        Assert.StartsWith(Redirect, callback.ToString(), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        Assert.Equal("xyz", query["state"]);
        var code = query["code"]!;

        // A wrong verifier fails; the right one yields tokens for the person's tenant.
        var exchange = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Redirect,
            ["code_verifier"] = verifier, ["client_id"] = clientId, ["client_secret"] = secret,
        };
        var tokens = JsonNode.Parse(await (await host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(exchange))).Content.ReadAsStringAsync())!;
        Assert.True(tokens["access_token"] is not null, tokens.ToJsonString());
        var refresh = tokens["refresh_token"]!.GetValue<string>();
        var me = await MeAsync(host, tokens["access_token"]!.GetValue<string>());
        Assert.Equal("people", me["tenant"]!.GetValue<string>());
        Assert.Equal(clientId, me["app"]!.GetValue<string>());
        Assert.Contains("records:read", me["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        // A code is single-use.
        var replay = JsonNode.Parse(await (await host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(exchange))).Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_grant", replay["error"]!.GetValue<string>());

        // Refresh gives new tokens; the used refresh token does not work twice.
        var refreshForm = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = clientId, ["client_secret"] = secret };
        var refreshed = JsonNode.Parse(await (await host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(refreshForm))).Content.ReadAsStringAsync())!;
        Assert.True(refreshed["access_token"] is not null, refreshed.ToJsonString());
        Assert.Equal("people", (await MeAsync(host, refreshed["access_token"]!.GetValue<string>()))["tenant"]!.GetValue<string>());
        var reused = JsonNode.Parse(await (await host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(refreshForm))).Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_grant", reused["error"]!.GetValue<string>());

        // PKCE is S256 only, and a redirect URI must be registered.
        var plain = await browser.GetAsync(authorize.Replace("code_challenge_method=S256", "code_challenge_method=plain", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        var elsewhere = await browser.GetAsync(authorize.Replace(Uri.EscapeDataString(Redirect), Uri.EscapeDataString("http://evil.test/cb"), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
    }

    private static async Task<JsonNode> MeAsync(PlatformHost host, string token)
    {
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/me"));
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
