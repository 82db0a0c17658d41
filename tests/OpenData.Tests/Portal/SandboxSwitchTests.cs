using System.Net;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The console's sandbox/live switch: switched on, every console page and the dataset pages carry the sandbox banner, the
/// restricted dataset's preview shows its synthetic twin's rows without a grant (none of them a real value), the try-it console
/// offers sandbox apps only and new apps are sandbox apps by default; switched off, the banner goes and the preview asks for a
/// grant again.
/// </summary>
public sealed partial class SandboxSwitchTests
{
    private const string Hotline = "hotline-12345-requests";

    [DatabaseTheory, OnEachDatabase]
    public async Task Switching_to_the_sandbox_shows_the_banner_and_previews_the_restricted_datasets_twin_and_switching_back_asks_for_a_grant_again(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = OAuthFlows.Browser(host);
        await ConsoleTests.SignUpAsync(browser, "沙箱测试公司", "赵六", "zhao@example.test");

        // Live: no banner; a live app is offered by the try-it console; the restricted preview needs a grant.
        var console = await browser.GetStringAsync("/console");
        Assert.DoesNotContain("data-sandbox-banner", console, StringComparison.Ordinal);
        Assert.Contains("data-environment-switch=\"live\"", console, StringComparison.Ordinal);
        Assert.Contains("role=\"switch\" aria-checked=\"false\"", console, StringComparison.Ordinal);
        Assert.Matches("id=\"environment-live\" value=\"live\" checked", console);
        var created = await browser.PostAsync("/console?handler=Create", new FormUrlEncodedContent(
            [.. ConsoleTests.AntiforgeryField(console), new("name", "生产应用"), new("environment", "live"), new("scopes", "records:read")]));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var liveTry = await browser.GetStringAsync("/console/try");
        Assert.Contains("data-try-environment=\"live\"", liveTry, StringComparison.Ordinal);
        Assert.Contains("生产应用", liveTry, StringComparison.Ordinal);
        var livePreview = await browser.GetStringAsync($"/datasets/{Hotline}");
        Assert.Contains("class=\"preview-refused\"", livePreview, StringComparison.Ordinal);
        Assert.DoesNotContain("data-synthetic-preview", livePreview, StringComparison.Ordinal);

        // A mode the switch does not know is refused on the page.
        var bad = await browser.PostAsync("/console/environment", new FormUrlEncodedContent(
            [.. ConsoleTests.AntiforgeryField(console), new("environment", "staging")]));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("data-field-error=\"environment\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Switch on: back to the page it was posted from, with the cookie the way the task wants it.
        var switched = await browser.PostAsync("/console/environment", new FormUrlEncodedContent(ConsoleTests.FormFields(console, "data-environment-switch")));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/console", switched.Headers.Location!.OriginalString);
        var cookie = Assert.Single(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith("od_env=", StringComparison.Ordinal));
        Assert.StartsWith("od_env=sandbox", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        foreach (var path in new[] { "/console", "/console/usage", "/console/environment", "/datasets", $"/datasets/{Hotline}" })
        {
            var page = await browser.GetStringAsync(path);
            Assert.Contains("data-sandbox-banner", page, StringComparison.Ordinal);
            Assert.Contains("sbx_", page, StringComparison.Ordinal);
        }
        var sandboxConsole = await browser.GetStringAsync("/console");
        Assert.Contains("role=\"switch\" aria-checked=\"true\"", sandboxConsole, StringComparison.Ordinal);
        // New apps are sandbox apps by default; the try-it console offers none of the live ones.
        Assert.Matches("id=\"environment-sandbox\" value=\"sandbox\" checked", sandboxConsole);
        var sandboxTry = await browser.GetStringAsync("/console/try");
        Assert.Contains("data-try-environment=\"sandbox\"", sandboxTry, StringComparison.Ordinal);
        Assert.Contains("data-no-app", sandboxTry, StringComparison.Ordinal);
        Assert.DoesNotContain("生产应用", sandboxTry, StringComparison.Ordinal);

        // The restricted dataset's preview: the twin (made in the background) with no grant, labelled synthetic.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        string preview;
        while (true)
        {
            preview = await browser.GetStringAsync($"/datasets/{Hotline}");
            if (preview.Contains("data-synthetic-preview", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                break;
            }
            Assert.Contains("data-code=\"sandbox.twin_generating\"", preview, StringComparison.Ordinal);
            await Task.Delay(500);
        }
        Assert.Contains("data-synthetic-preview", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"preview-refused\"", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("data-request-access", preview, StringComparison.Ordinal);
        var cells = PreviewCells().Matches(preview[preview.IndexOf("preview-grid", StringComparison.Ordinal)..]).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.True(cells.Count >= 50, $"the preview shows {cells.Count} cells");

        // None of the real identifying values the owner reads in clear is on the page.
        var owner = host.As("ningbo-12345-hotline", "catalogue:read", "records:read");
        var clear = await PortalPagesTests.ClearValuesAsync(owner, Hotline, "ticketNo", "callerMobile", "callerIdCard");
        Assert.True(clear.Count > 1000, $"the owner read only {clear.Count} values");
        var leaked = cells.Where(clear.Contains).Take(5).ToList();
        Assert.True(leaked.Count == 0, "real values in the sandbox preview: " + string.Join(", ", leaked));

        // The twin's rows are charged to the person's tenant as a live preview's are: 50 rows a view that shows them.
        var tenant = Regex.Match(sandboxConsole, "data-tenant=\"([^\"]+)\"").Groups[1].Value;
        var before = await RowsChargedAsync(host, tenant);
        Assert.True(before > 0 && before % 50 == 0, $"{before} rows charged for the sandbox previews");
        Assert.Contains("data-synthetic-preview", await browser.GetStringAsync($"/datasets/{Hotline}"), StringComparison.Ordinal);
        Assert.Equal(before + 50, await RowsChargedAsync(host, tenant));

        // Switch off from the banner: no banner, and the preview asks for a grant again.
        var off = await browser.PostAsync("/console/environment", new FormUrlEncodedContent(ConsoleTests.FormFields(preview, "data-environment-switch")));
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.Equal($"/datasets/{Hotline}", off.Headers.Location!.OriginalString);
        var back = await browser.GetStringAsync($"/datasets/{Hotline}");
        Assert.DoesNotContain("data-sandbox-banner", back, StringComparison.Ordinal);
        Assert.DoesNotContain("data-synthetic-preview", back, StringComparison.Ordinal);
        Assert.Contains("class=\"preview-refused\"", back, StringComparison.Ordinal);
        Assert.Contains("data-request-access", back, StringComparison.Ordinal);
        Assert.Contains("data-environment-switch=\"live\"", await browser.GetStringAsync("/console"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_gets_no_sandbox_from_the_cookie()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        using var anonymous = host.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/datasets/{Hotline}");
        request.Headers.Add("Cookie", "od_env=sandbox");
        var page = await (await anonymous.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("data-sandbox-banner", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-synthetic-preview", page, StringComparison.Ordinal);
        Assert.Contains("data-code=\"auth.token_required\"", page, StringComparison.Ordinal);
    }

    private static async Task<long> RowsChargedAsync(PlatformHost host, string tenant)
    {
        var usage = await PlatformHost.ReadJsonAsync(await host.As(tenant, "catalogue:read").GetAsync("/v1/usage"));
        return usage["items"]!.AsArray().Single(i => i!["dataset"]!.GetValue<string>() == Hotline)!["rows"]!.GetValue<long>();
    }

    [GeneratedRegex("<td>([^<]*)</td>")]
    private static partial Regex PreviewCells();
}
