using System.Net;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The owner's side of the console (数源单位): its datasets with the requests awaiting it, and the grants on them by state,
/// revoked with a reason through the same service as <c>POST /v1/grants/{id}/revoke</c>. A consumer's member never sees
/// them; a developer of the owner may look but not revoke.
/// </summary>
public sealed class OwnerConsoleTests
{
    private const string Owner = "ningbo-12345-hotline";
    private const string Dataset = "hotline-12345-requests";
    private const string Password = "correct horse battery";

    [DatabaseTheory, OnEachDatabase]
    public async Task An_owner_sees_its_datasets_and_requests_and_revokes_a_grant_with_a_reason_that_stops_the_reads(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = AccessScenarios.Consumer(host, "reader-co");
        var reviewer = AccessScenarios.Reviewer(host, Owner);
        // One request granted, one still waiting.
        var granted = await AccessScenarios.SubmitAsync(consumer, Dataset);
        Assert.Equal(HttpStatusCode.OK, (await AccessScenarios.DecideAsync(reviewer, granted["id"]!.GetValue<string>(), "approve")).StatusCode);
        await AccessScenarios.SubmitAsync(AccessScenarios.Consumer(host, "second-co"), Dataset);
        Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync($"/v1/datasets/{Dataset}/records?limit=1")).StatusCode);

        using var browser = await SignInAsMemberAsync(host, Owner, "admin", "owner-admin@example.test");
        var datasets = await browser.GetStringAsync("/console/datasets");
        Assert.Contains("href=\"/console/grants\"", datasets, StringComparison.Ordinal);
        var row = Regex.Match(datasets, $"<tr data-dataset=\"{Dataset}\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("data-open-requests=\"1\"", row, StringComparison.Ordinal);
        Assert.Contains("有条件开放", row, StringComparison.Ordinal);
        Assert.DoesNotContain("data-dataset=\"ningbo-villages\"", datasets, StringComparison.Ordinal);

        var grants = await browser.GetStringAsync("/console/grants");
        var grantId = Regex.Match(grants, "<section[^>]*data-grants=\"active\".*?data-grant=\"([^\"]+)\"", RegexOptions.Singleline).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(grantId), "no active grant listed");
        Assert.Contains("reader-co", grants, StringComparison.Ordinal);

        // A revocation without a reason is refused on the page; with one, the grant moves to "revoked" and the reads stop.
        var token = ConsoleTests.AntiforgeryField(grants);
        var refused = await browser.PostAsync("/console/grants?handler=Revoke", new FormUrlEncodedContent([.. token, new("grantId", grantId), new("reason", " ")]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("data-field-error=\"reason\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var revoked = await browser.PostAsync("/console/grants?handler=Revoke", new FormUrlEncodedContent([.. token, new("grantId", grantId), new("reason", "用途已结束")]));
        var html = await revoked.Content.ReadAsStringAsync();
        Assert.True(revoked.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains($"data-revoked=\"{grantId}\"", html, StringComparison.Ordinal);
        Assert.Matches($"(?s)data-grants=\"revoked\".*data-grant=\"{grantId}\".*用途已结束", html);
        Assert.NotEqual(HttpStatusCode.OK, (await consumer.GetAsync($"/v1/datasets/{Dataset}/records?limit=1")).StatusCode);
        var api = await PlatformHost.ReadJsonAsync(await reviewer.GetAsync("/v1/grants"));
        var grant = api["items"]!.AsArray().Single(g => g!["id"]!.GetValue<string>() == grantId)!;
        Assert.Equal("revoked", grant["status"]!.GetValue<string>());
        Assert.Equal("用途已结束", grant["revokeReason"]!.GetValue<string>());

        // Revoking again: the service's conflict, said on the page.
        var again = await browser.PostAsync("/console/grants?handler=Revoke", new FormUrlEncodedContent([.. token, new("grantId", grantId), new("reason", "再次")]));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_consumers_member_has_no_owner_pages_and_an_owners_developer_cannot_revoke(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = AccessScenarios.Consumer(host, "reader-co");
        var request = await AccessScenarios.SubmitAsync(consumer, Dataset);
        await AccessScenarios.DecideAsync(AccessScenarios.Reviewer(host, Owner), request["id"]!.GetValue<string>(), "approve");
        var grantId = (await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/grants")))["items"]!.AsArray()[0]!["id"]!.GetValue<string>();

        using (var outsider = await SignInAsMemberAsync(host, "reader-co", "admin", "reader-admin@example.test"))
        {
            var console = await outsider.GetStringAsync("/console");
            Assert.DoesNotContain("href=\"/console/grants\"", console, StringComparison.Ordinal);
            var page = await outsider.GetAsync("/console/grants");
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.DoesNotContain(grantId, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var forged = await outsider.PostAsync("/console/grants?handler=Revoke",
                new FormUrlEncodedContent([.. ConsoleTests.AntiforgeryField(console), new("grantId", grantId), new("reason", "x")]));
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        using var developer = await SignInAsMemberAsync(host, Owner, "developer", "owner-dev@example.test");
        var grants = await developer.GetStringAsync("/console/grants");
        Assert.Contains($"data-grant=\"{grantId}\"", grants, StringComparison.Ordinal);
        Assert.DoesNotContain("data-revoke=", grants, StringComparison.Ordinal);
        var refused = await developer.PostAsync("/console/grants?handler=Revoke",
            new FormUrlEncodedContent([.. ConsoleTests.AntiforgeryField(grants), new("grantId", grantId), new("reason", "x")]));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var still = (await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/grants")))["items"]!.AsArray()[0]!;
        Assert.Equal("active", still["status"]!.GetValue<string>());

        // Without the antiforgery token nothing is revoked.
        using var admin = await SignInAsMemberAsync(host, Owner, "admin", "owner-admin@example.test");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/console/grants?handler=Revoke",
            new FormUrlEncodedContent([new("grantId", grantId), new("reason", "x")]))).StatusCode);
    }

    private static async Task<HttpClient> SignInAsMemberAsync(PlatformHost host, string tenant, string role, string email)
    {
        var op = host.As("platform", "platform:admin", "tenant:admin");
        var created = await op.PostAsync($"/v1/tenants/{tenant}/members", System.Net.Http.Json.JsonContent.Create(new { email, name = "测试" + role, role, password = Password }));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var browser = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, email, Password)).StatusCode);
        return browser;
    }
}
