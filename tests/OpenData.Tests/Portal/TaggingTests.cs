using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The owner's column tagging page (<c>/console/datasets/{id}/columns</c>): the profiler's suggestions with samples masked as the
/// suggested tag leaves them for an anonymous caller (never a value in clear), accepted in one click through the service of
/// <c>PATCH /v1/datasets/{id}/columns/{name}</c>; suspected columns marked until tagged; other tenants refused.
/// </summary>
public sealed class TaggingTests
{
    private const string Owner = "ningbo-civil-affairs";
    private const string Dataset = "tagging-contacts";
    private const string Password = "correct horse battery";
    private const int Rows = 12;

    private static string Mobile(int i) => "1381234" + (5000 + i).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A fresh upload: a phone column, ID-card numbers, and a remark that mentions a mobile in free text.</summary>
    private static async Task<(PlatformHost Host, IReadOnlyList<PiiRows.Person> People)> StartAsync(string db)
    {
        var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, Dataset, "open", ("ticket", "string"), ("contact", "string"), ("idno", "string"), ("remark", "string"));
        var people = PiiRows.Make(Rows);
        var csv = "ticket,contact,idno,remark\n" + string.Concat(people.Select((p, i) => $"{p.Ticket},{p.Mobile},{p.IdCard},客户{i}请回电{Mobile(i)}\n"));
        Assert.Equal("succeeded", (await host.UploadAsync(owner, Dataset, csv)).GetProperty("status").GetString());
        return (host, people);
    }

    private static string Card(string html, string column)
    {
        var card = Regex.Match(html, $"<article [^>]*data-column=\"{column}\".*?</article>", RegexOptions.Singleline);
        Assert.True(card.Success, $"no card for column {column}");
        return card.Value;
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_owner_sees_masked_suggestions_and_accepts_one_in_a_click(string db)
    {
        var (host, people) = await StartAsync(db);
        await using var _ = host;
        using var browser = await SignInAsMemberAsync(host, Owner, "admin", "tagger@example.test");

        // The datasets page counts what awaits tagging and links to the page.
        var datasets = await browser.GetStringAsync("/console/datasets");
        var row = Regex.Match(datasets, $"<tr data-dataset=\"{Dataset}\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains($"href=\"/console/datasets/{Dataset}/columns\"", row, StringComparison.Ordinal);
        Assert.Matches("data-to-tag=\"[1-9]", row);
        Assert.Matches("data-suspected-columns=\"[1-9]", row);

        var page = await browser.GetAsync($"/console/datasets/{Dataset}/columns");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        var contact = Card(html, "contact");
        Assert.Contains("data-suggestion=\"pii.phone\"", contact, StringComparison.Ordinal);
        Assert.Contains("data-share=\"1\"", contact, StringComparison.Ordinal);
        Assert.Contains("data-accept=\"pii.phone\"", contact, StringComparison.Ordinal);
        Assert.Contains("data-suspected-badge", contact, StringComparison.Ordinal);
        // The sample is masked as pii.phone leaves it for an anonymous caller; no number is on the page in clear.
        Assert.Contains(people[0].Mobile[..3] + "****" + people[0].Mobile[^4..], contact, StringComparison.Ordinal);
        foreach (var person in people)
        {
            Assert.DoesNotContain(person.Mobile, html, StringComparison.Ordinal);
            Assert.DoesNotContain(person.IdCard, html, StringComparison.Ordinal);
        }
        for (var i = 0; i < Rows; i++)
        {
            Assert.DoesNotContain(Mobile(i), html, StringComparison.Ordinal);
        }

        // Accept, as htmx posts it: the card comes back tagged, no longer suspected.
        var accept = new HttpRequestMessage(HttpMethod.Post, $"/console/datasets/{Dataset}/columns?handler=Tag")
        {
            Content = new FormUrlEncodedContent([.. ConsoleTests.AntiforgeryField(html), new("column", "contact"), new("tag", "pii.phone")]),
        };
        accept.Headers.Add("HX-Request", "true");
        var accepted = await browser.SendAsync(accept);
        var swapped = await accepted.Content.ReadAsStringAsync();
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, swapped);
        Assert.StartsWith("<article", swapped.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", swapped, StringComparison.Ordinal);
        Assert.Contains("data-tag=\"pii.phone\"", swapped, StringComparison.Ordinal);
        Assert.Contains("data-suspected=\"false\"", swapped, StringComparison.Ordinal);
        Assert.DoesNotContain("data-suspected-badge", swapped, StringComparison.Ordinal);
        Assert.Contains("data-tagged-done=\"contact\"", swapped, StringComparison.Ordinal);

        // The API says so, and the records API masks the column for an anonymous caller.
        var detail = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{Dataset}"));
        var column = detail["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "contact")!;
        Assert.Equal("pii.phone", column["tag"]!.GetValue<string>());
        Assert.False(column["suspected"]!.GetValue<bool>());
        var records = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{Dataset}/records?limit=1&select=contact"));
        Assert.Equal(people[0].Mobile[..3] + "****" + people[0].Mobile[^4..], records["items"]![0]!["contact"]!.GetValue<string>());
        var ownerView = await PlatformHost.ReadJsonAsync(await host.Owner(Owner).GetAsync($"/v1/datasets/{Dataset}"));
        Assert.DoesNotContain(ownerView["suggestedTags"]!.AsArray(), s => s!["column"]!.GetValue<string>() == "contact");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_suspected_column_is_marked_until_tagged_and_a_bad_tag_gets_a_field_message(string db)
    {
        var (host, _) = await StartAsync(db);
        await using var _h = host;
        using var browser = await SignInAsMemberAsync(host, Owner, "developer", "tagging-dev@example.test");
        var html = await browser.GetStringAsync($"/console/datasets/{Dataset}/columns");
        var remark = Card(html, "remark");
        Assert.Contains("data-suspected=\"true\"", remark, StringComparison.Ordinal);
        Assert.Contains("data-suspected-badge", remark, StringComparison.Ordinal);
        Assert.Contains("data-suspected-text", remark, StringComparison.Ordinal);
        Assert.DoesNotContain("data-suspected-badge", Card(html, "ticket"), StringComparison.Ordinal);

        // A tag that does not fit: the form again, with the field's message, 400; nothing changed.
        var token = ConsoleTests.AntiforgeryField(html);
        var bad = await browser.PostAsync($"/console/datasets/{Dataset}/columns?handler=Tag",
            new FormUrlEncodedContent([.. token, new("column", "remark"), new("tag", "pii.passport")]));
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("data-field-error=\"tag\"", Card(badHtml, "remark"), StringComparison.Ordinal);
        Assert.Contains("data-suspected-badge", Card(badHtml, "remark"), StringComparison.Ordinal);
        var unknown = await browser.PostAsync($"/console/datasets/{Dataset}/columns?handler=Tag",
            new FormUrlEncodedContent([.. token, new("column", "nope"), new("tag", "public")]));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // Chosen from the select, without script: the form posts and the page comes back without the mark.
        var saved = await browser.PostAsync($"/console/datasets/{Dataset}/columns?handler=Tag",
            new FormUrlEncodedContent([.. token, new("column", "remark"), new("tag", "public")]));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.StartsWith($"/console/datasets/{Dataset}/columns?tagged=remark", saved.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var after = await browser.GetStringAsync(saved.Headers.Location.OriginalString);
        var tagged = Card(after, "remark");
        Assert.Contains("data-suspected=\"false\"", tagged, StringComparison.Ordinal);
        Assert.DoesNotContain("data-suspected-badge", tagged, StringComparison.Ordinal);
        Assert.Contains("data-current-tag=\"public\"", tagged, StringComparison.Ordinal);
        Assert.Contains("data-tagged-done=\"remark\"", tagged, StringComparison.Ordinal);
        // The outbound check still masks the mobile in the text, for anyone but the owner.
        var detail = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{Dataset}"));
        Assert.False(detail["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "remark")!["suspected"]!.GetValue<bool>());
        var records = await host.Anonymous().GetStringAsync($"/v1/datasets/{Dataset}/records?limit=1&select=remark");
        Assert.DoesNotContain(Mobile(0), records, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Another_owner_gets_404_a_consumer_403_and_a_reviewer_may_only_look(string db)
    {
        var (host, _) = await StartAsync(db);
        await using var _h = host;
        // The consumer's tenant comes into being with its first token.
        Assert.Equal(HttpStatusCode.OK, (await AccessScenarios.Consumer(host, "reader-co").GetAsync($"/v1/datasets/{Dataset}")).StatusCode);

        using (var other = await SignInAsMemberAsync(host, "ningbo-12345-hotline", "admin", "hotline-admin@example.test"))
        {
            var page = await other.GetAsync($"/console/datasets/{Dataset}/columns");
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            var body = await page.Content.ReadAsStringAsync();
            Assert.Contains("data-refused=\"not-found\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("data-column=", body, StringComparison.Ordinal);
            var forged = await other.PostAsync($"/console/datasets/{Dataset}/columns?handler=Tag",
                new FormUrlEncodedContent([.. ConsoleTests.AntiforgeryField(body), new("column", "contact"), new("tag", "public")]));
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }

        using (var consumer = await SignInAsMemberAsync(host, "reader-co", "admin", "reader-admin@example.test"))
        {
            var page = await consumer.GetAsync($"/console/datasets/{Dataset}/columns");
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            var body = await page.Content.ReadAsStringAsync();
            Assert.Contains("data-refused=\"owners-only\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("data-column=", body, StringComparison.Ordinal);
        }

        using var reviewer = await SignInAsMemberAsync(host, Owner, "reviewer", "tagging-reviewer@example.test");
        var html = await reviewer.GetStringAsync($"/console/datasets/{Dataset}/columns");
        Assert.Contains("data-read-only", html, StringComparison.Ordinal);
        Assert.Contains("data-suggestion=\"pii.phone\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-accept=", html, StringComparison.Ordinal);
        var refused = await reviewer.PostAsync($"/console/datasets/{Dataset}/columns?handler=Tag",
            new FormUrlEncodedContent([.. ConsoleTests.AntiforgeryField(await reviewer.GetStringAsync("/console")), new("column", "contact"), new("tag", "pii.phone")]));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var detail = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{Dataset}"));
        Assert.Null(detail["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "contact")!["tag"]);
    }

    private static async Task<HttpClient> SignInAsMemberAsync(PlatformHost host, string tenant, string role, string email)
    {
        var op = host.As("platform", "platform:admin", "tenant:admin");
        var created = await op.PostAsync($"/v1/tenants/{tenant}/members", JsonContent.Create(new { email, name = "测试" + role, role, password = Password }));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var browser = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, email, Password)).StatusCode);
        return browser;
    }
}
