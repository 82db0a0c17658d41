using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>People of the console: a member added to a tenant by the operator through the API, then signed in with their browser.</summary>
internal static class ConsolePeople
{
    public const string Password = "correct horse battery";

    /// <summary>A member of <paramref name="tenant"/> (the platform's operators are members of <c>platform</c>) in their signed-in browser.</summary>
    public static async Task<HttpClient> SignInAsync(PlatformHost host, string tenant, string role, string email)
    {
        var op = host.As("platform", "platform:admin", "tenant:admin");
        var created = await op.PostAsJsonAsync($"/v1/tenants/{tenant}/members", new { email, name = "测试" + role, role, password = Password });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var browser = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, email, Password)).StatusCode);
        return browser;
    }

    /// <summary>One of the platform's operators (an admin of the <c>platform</c> tenant), signed in.</summary>
    public static Task<HttpClient> OperatorAsync(PlatformHost host, string email) => SignInAsync(host, "platform", "admin", email);

    /// <summary>Switches the browser's pages to English (the language switch's form on <paramref name="page"/>).</summary>
    public static async Task EnglishAsync(HttpClient browser, string page) =>
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/language", new FormUrlEncodedContent(ConsoleTests.FormFields(page, "data-language-switch")))).StatusCode);
}
