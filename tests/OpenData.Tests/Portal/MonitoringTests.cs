using System.Net;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The owner's monitoring page (监测预警): reads of its datasets per day by tenant, unusual reads and values masked on the way out —
/// its own datasets only; a member of a tenant that owns no data is refused.
/// </summary>
public sealed class MonitoringTests
{
    private const string Owner = "ningbo-civil-affairs";
    private const string OtherOwner = "ningbo-12345-hotline";
    private const string Villages = "ningbo-villages";
    private const string Password = "correct horse battery";

    private static readonly Dictionary<string, string?> Settings = new() { ["OpenData:Monitoring:CheckSeconds"] = "1" };

    [DatabaseTheory, OnEachDatabase]
    public async Task An_owner_sees_reads_by_tenant_unusual_reads_and_masked_values_of_its_own_datasets(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, Settings);
        var people = "people-watched-" + db;
        await PeopleDataset.CreateAsync(host, people);
        var reader = host.As("watched-reader", "records:read");
        // Two small reads of the villages, and a first large one by another tenant: with no history, past the floor is unusual.
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/datasets/{Villages}/records?limit=5")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/datasets/{Villages}/records?limit=7")).StatusCode);
        var bulk = host.As("bulk-reader", "records:read");
        Assert.Equal(HttpStatusCode.OK, (await bulk.GetAsync($"/v1/datasets/{Villages}/records?limit=1000")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bulk.GetAsync($"/v1/datasets/{Villages}/records?limit=200")).StatusCode);
        // Rows 0–7 of the people: the outbound check masks 6 mobiles, 4 ID cards, 2 bank cards and 4 e-mails in the untagged note.
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/datasets/{people}/records?limit=8&select=ticket,note")).StatusCode);

        using var browser = await SignInAsMemberAsync(host, Owner, "developer", "watcher@example.test");
        var console = await browser.GetStringAsync("/console");
        Assert.Contains("href=\"/console/monitoring\"", console, StringComparison.Ordinal);

        var page = await WaitForPageAsync(browser, $"/console/monitoring?dataset={Villages}", "data-anomaly ");
        Assert.Contains($"data-monitoring-dataset=\"{Villages}\"", page, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{people}\"", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-reader=\"watched-reader\" data-requests=\"2\" data-rows=\"12\">", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-reader=\"bulk-reader\" data-requests=\"2\" data-rows=\"1200\">", page, StringComparison.Ordinal);
        // The chart's table: a column per tenant, today's row with each tenant's rows (30 days shown).
        Assert.Equal(30, Regex.Count(page, "<tr data-day="));
        Assert.Matches("(?s)data-reads-table.*<th scope=\"col\" class=\"text-end\" data-tenant=\"bulk-reader\">", page);
        Assert.Matches("(?s)<tr data-day=\"[^\"]+\">(?:(?!</tr>).)*data-value=\"12\" data-tenant=\"watched-reader\"(?:(?!</tr>).)*</tr>\\s*</tbody>", page);
        Assert.Contains("role=\"img\"", page, StringComparison.Ordinal);

        // The unusual read, raised once and counted at the top; the small reader is no alert.
        var anomaly = Assert.Single(Regex.Matches(page, "<tr data-anomaly [^>]*>"));
        Assert.Contains($"data-dataset=\"{Villages}\" data-tenant=\"bulk-reader\" data-rows=\"1200\"", anomaly.Value, StringComparison.Ordinal);
        Assert.Contains("data-anomaly-count=\"1\"", page, StringComparison.Ordinal);
        Assert.Contains("无历史", page, StringComparison.Ordinal);

        // What the outbound check masked: per column and kind, counts only.
        Assert.Contains($"data-dataset=\"{people}\" data-column=\"note\" data-kind=\"Mobile\" data-masked=\"6\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-dataset=\"{people}\" data-column=\"note\" data-kind=\"IdCard\" data-masked=\"4\"", page, StringComparison.Ordinal);
        Assert.Contains("data-mask-count=\"16\"", page, StringComparison.Ordinal);
        Assert.Contains("手机号", page, StringComparison.Ordinal);
        Assert.DoesNotContain(PeopleDataset.People[0].Note, page, StringComparison.Ordinal);

        // Requests instead of rows.
        var requests = await browser.GetStringAsync($"/console/monitoring?dataset={Villages}&measure=requests");
        Assert.Matches("(?s)<tr data-day=\"[^\"]+\">(?:(?!</tr>).)*data-value=\"2\" data-tenant=\"watched-reader\"(?:(?!</tr>).)*</tr>\\s*</tbody>", requests);

        // Another owner sees none of it: not the datasets, not the readers, not the alerts; naming the dataset is "not found".
        using var other = await SignInAsMemberAsync(host, OtherOwner, "admin", "other-owner@example.test");
        var theirs = await other.GetStringAsync("/console/monitoring");
        Assert.DoesNotContain(Villages, theirs, StringComparison.Ordinal);
        Assert.DoesNotContain(people, theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("bulk-reader", theirs, StringComparison.Ordinal);
        Assert.Contains("data-no-alerts", theirs, StringComparison.Ordinal);
        var refused = await other.GetAsync($"/console/monitoring?dataset={Villages}");
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("data-field-error=\"dataset\"", refusedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("watched-reader", refusedHtml, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_consumers_member_is_refused_the_monitoring_page(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        Assert.Equal(HttpStatusCode.OK, (await host.As("reader-co", "records:read").GetAsync($"/v1/datasets/{Villages}/records?limit=3")).StatusCode);
        using var consumer = await SignInAsMemberAsync(host, "reader-co", "admin", "reader-admin@example.test");
        Assert.DoesNotContain("href=\"/console/monitoring\"", await consumer.GetStringAsync("/console"), StringComparison.Ordinal);
        var page = await consumer.GetAsync($"/console/monitoring?dataset={Villages}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("data-not-owner", html, StringComparison.Ordinal);
        Assert.Contains("数源单位", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-reader=", html, StringComparison.Ordinal);
    }

    /// <summary>The page once it shows <paramref name="marker"/> (the check runs every second).</summary>
    private static async Task<string> WaitForPageAsync(HttpClient browser, string url, string marker)
    {
        var page = "";
        for (var i = 0; i < 100 && !page.Contains(marker, StringComparison.Ordinal); i++)
        {
            if (i > 0)
            {
                await Task.Delay(200);
            }
            page = await browser.GetStringAsync(url);
        }
        Assert.Contains(marker, page, StringComparison.Ordinal);
        return page;
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
