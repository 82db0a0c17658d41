using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using OpenData.Platform.Audit;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Portal;

/// <summary>
/// The console's audit page on the real host: an owner sees who read its datasets, under which grant, how many rows and when,
/// newest first, filtered by dataset, tenant and days (a day that does not read is a field message and a 400); the chain's
/// check is at the top and names the first entry altered in the store; the export is CSV with formulas defused; a consumer
/// sees only its own entries and no chain, an operator everything.
/// </summary>
public sealed class AuditPageTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task An_owner_sees_who_read_its_data_under_which_grant_newest_first_filtered_and_the_chain_verified_then_broken(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        await GrantLifeAsync(host);
        var grant = (await PlatformHost.ReadJsonAsync(await Consumer(host, "audited").GetAsync("/v1/grants")))["items"]!.AsArray().Single()!["id"]!.GetValue<string>();
        // Another consumer reads an open dataset: not the owner's business.
        Assert.Equal(HttpStatusCode.OK, (await Consumer(host, "bystander").GetAsync("/v1/datasets/ningbo-villages/records?limit=1")).StatusCode);

        using var owner = await ConsolePeople.SignInAsync(host, RestrictedOwner, "admin", "audit-owner@example.test");
        var page = await owner.GetAsync("/console/audit");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("aria-current=\"page\" href=\"/console/audit\"", html, StringComparison.Ordinal);

        // The chain is checked and holds.
        Assert.Contains("data-chain-ok=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("data-chain-status=\"ok\"", html, StringComparison.Ordinal);
        Assert.Contains("审计链校验通过", html, StringComparison.Ordinal);

        // The two reads, newest first, each with its rows and the grant it was read under; the decisions and grant events too.
        var entries = Entries(html);
        Assert.Equal(entries.Select(e => e.Seq).OrderByDescending(s => s), entries.Select(e => e.Seq));
        var reads = entries.Where(e => e.Type == "records.read").ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, r => Assert.Equal("audited", r.Actor));
        Assert.All(reads, r => Assert.Contains($"data-grant=\"{grant}\"", r.Html, StringComparison.Ordinal));
        Assert.Contains("data-rows=\"3\"", reads[1].Html, StringComparison.Ordinal);
        Assert.Contains("data-rows=\"2\"", reads[0].Html, StringComparison.Ordinal);
        Assert.Contains(entries, e => e.Type == "access_request.decided");
        Assert.Contains(entries, e => e.Type == "grant.created");
        Assert.Contains(entries, e => e.Type == "grant.revoked");
        Assert.DoesNotContain(entries, e => e.Actor == "bystander");

        // Filters: by the reading tenant, by dataset, by day.
        var byTenant = Entries(await owner.GetStringAsync("/console/audit?tenant=audited"));
        Assert.NotEmpty(byTenant);
        Assert.All(byTenant, e => Assert.Equal("audited", e.Actor));
        Assert.Contains("data-audit-none", await owner.GetStringAsync("/console/audit?dataset=ningbo-villages"), StringComparison.Ordinal);
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime);
        Assert.Equal(entries.Count, Entries(await owner.GetStringAsync($"/console/audit?from={Day(today)}&to={Day(today)}")).Count);
        Assert.Contains("data-audit-none", await owner.GetStringAsync($"/console/audit?to={Day(today.AddDays(-1))}"), StringComparison.Ordinal);

        // A day that does not read is said on its field, with a 400; so is a first day after the last.
        foreach (var (query, field, text) in new[]
        {
            ("from=2026-13-01", "from", "请以日期格式（yyyy-MM-dd）填写起始日期"), ("to=yesterday", "to", "请以日期格式（yyyy-MM-dd）填写截止日期"),
            ($"from={Day(today)}&to={Day(today.AddDays(-3))}", "from", "请以日期格式（yyyy-MM-dd）填写起始日期"),
        })
        {
            var bad = await owner.GetAsync("/console/audit?" + query);
            var badHtml = await bad.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains($"data-field-error=\"{field}\">{text}", badHtml, StringComparison.Ordinal);
            Assert.Contains("aria-invalid=\"true\"", badHtml, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.GetAsync("/console/audit?handler=Export&from=nonsense")).StatusCode);

        // Someone with the database's keys edits the first read: the page says the chain is broken, and where.
        var first = reads[1].Seq;
        await host.ExecuteSqlAsync(db == Db.Postgres ? "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change" : "DROP TRIGGER audit_log_no_update");
        await host.ExecuteSqlAsync($"UPDATE audit_log SET details = replace(details, '\"rows\":3', '\"rows\":30') WHERE seq = {first}");
        var broken = await owner.GetStringAsync("/console/audit");
        Assert.Contains("data-chain-ok=\"false\"", broken, StringComparison.Ordinal);
        Assert.Contains($"data-broken-at=\"{first}\"", broken, StringComparison.Ordinal);
        Assert.Contains($"审计链已被破坏：第 {first} 条记录", broken, StringComparison.Ordinal);
        Assert.Contains("data-chain-code>audit.entry_altered<", broken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_go_back_in_time_the_export_is_csv_with_formulas_defused_a_consumer_sees_its_own_and_an_operator_all()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        await GrantLifeAsync(host);
        // An entry whose text would run as a spreadsheet formula (as if an app's name or a subject carried one).
        await host.Required<AuditLog>().AppendAsync(new AuditEvent("records.read", "audited", "=HYPERLINK(\"https://evil.example\",\"x\")", Restricted, RestrictedOwner,
            "@SUM(1+1)", AuditDetails.Of(("rows", 1), ("note", "-2+3"))), CancellationToken.None);

        using var owner = await ConsolePeople.SignInAsync(host, RestrictedOwner, "admin", "audit-export@example.test");
        var html = await owner.GetStringAsync("/console/audit");
        Assert.Contains("href=\"/console/audit?handler=Export\"", html, StringComparison.Ordinal);
        var export = await owner.GetAsync("/console/audit?handler=Export&tenant=audited");
        var csv = await export.Content.ReadAsStringAsync();
        Assert.True(export.StatusCode == HttpStatusCode.OK, csv);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", export.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AuditCsv.Header.TrimEnd(), lines[0]);
        // Chain order; only the filter's entries (the tenant's actions), every one of them.
        var seqs = lines.Skip(1).Select(l => long.Parse(l[..l.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Contains(",audited,", lines[^1], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.Contains(",audited,", l, StringComparison.Ordinal));
        // The cells that would run are quoted text now: a leading ' and the cell in quotes; inside the JSON a formula is no cell's start.
        Assert.Contains(",\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",", lines[^1], StringComparison.Ordinal);
        Assert.Contains(",\"'@SUM(1+1)\",", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",@SUM", csv, StringComparison.Ordinal);

        // Paging: a page of at most 50, newest first; "older" goes on from the last one shown.
        await host.Required<AuditLog>().AppendAsync(Enumerable.Range(0, 55).Select(i => new AuditEvent("records.read", "audited", null, Restricted, RestrictedOwner, "audited",
            AuditDetails.Of(("rows", i)))).ToList(), CancellationToken.None);
        await PlatformHost.ReadJsonAsync(await Reviewer(host, RestrictedOwner).PatchAsync("/v1/datasets/hotline-12345-requests/columns/category",
            System.Net.Http.Json.JsonContent.Create(new { tag = "public" })));
        var firstPage = await owner.GetStringAsync("/console/audit");
        var shown = Entries(firstPage);
        var older = Regex.Match(firstPage, "href=\"([^\"]+)\" data-audit-older").Groups[1].Value;
        Assert.Equal(50, shown.Count);
        var next = Entries(await owner.GetStringAsync(WebUtility.HtmlDecode(older)));
        Assert.True(next[0].Seq < shown[^1].Seq);
        Assert.Equal($"/console/audit?before={shown[^1].Seq}", WebUtility.HtmlDecode(older));

        // A consumer's person sees what its tenant did, and no chain (the tab is the owners' and operators').
        using var consumer = await ConsolePeople.SignInAsync(host, "audited", "admin", "audited-admin@example.test");
        var own = await consumer.GetAsync("/console/audit");
        var ownHtml = await own.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.DoesNotContain("data-chain", ownHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/console/audit\"", ownHtml, StringComparison.Ordinal);
        // (Apps the platform created for the tenant are the tenant's entries too, acted by the operator.)
        var ownEntries = Entries(ownHtml).Where(e => !e.Type.StartsWith("app.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(ownEntries);
        Assert.All(ownEntries, e => Assert.Equal("audited", e.Actor));
        Assert.DoesNotContain(Entries(ownHtml), e => e.Type == "dataset.column_tagged");

        // An operator sees every tenant's entries (a tenant's sign-up, the owner's tagging) and checks the chain.
        using var op = await ConsolePeople.OperatorAsync(host, "audit-operator@example.test");
        var all = await op.GetStringAsync("/console/audit?tenant=" + RestrictedOwner);
        Assert.Contains("data-chain-ok=\"true\"", all, StringComparison.Ordinal);
        Assert.Contains(Entries(all), e => e.Type == "dataset.column_tagged");
        Assert.Contains("全平台的审计记录", all, StringComparison.Ordinal);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record Entry(long Seq, string Type, string Actor, string Html);

    private static List<Entry> Entries(string html) =>
        Regex.Matches(html, "<tr data-audit-entry=\"([0-9]+)\" data-type=\"([^\"]+)\" data-actor=\"([^\"]*)\".*?</tr>", RegexOptions.Singleline)
            .Select(m => new Entry(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value, m.Groups[3].Value, m.Value)).ToList();
}
