using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Portal.ConsoleTests;

namespace OpenData.Tests.Portal;

/// <summary>
/// "Usable but not visible" in the console, on each database: the owner switches aggregate access on and defines a verification
/// through its dataset's analytics page (the API then answers with the same settings, and the audit names the change); a requester
/// submits an analysis job from its console and sees no output — not even a table — until the owner released it through the
/// airlock, then only the outputs not withheld; a rejected job shows none, ever. Other tenants are kept out of both pages.
/// </summary>
public sealed class AnalyticsPagesTests(AnalyticsPagesTests.StaffHosts hosts) : IClassFixture<AnalyticsPagesTests.StaffHosts>
{
    private const string Staff = "portal-job-staff";
    private const string Owner = "ningbo-civil-affairs";
    private const string Analytics = "/console/datasets/" + Staff + "/analytics";

    /// <summary>One host per database with restricted staff: district A 30, B 25, C 3 people (a small cell), grades g1 and g2.</summary>
    public sealed class StaffHosts : SeededHosts
    {
        protected override async Task PrepareAsync(PlatformHost host)
        {
            var owner = AccessScenarios.Reviewer(host, Owner);
            var response = await owner.PostAsJsonAsync("/v1/datasets", new
            {
                id = Staff, title = "职工", description = "made-up staff", theme = "public-services", classification = "restricted",
                license = "Restricted", updateFrequency = "irregular",
                columns = new object[]
                {
                    new { name = "name", type = "string", tag = "pii.name" },
                    new { name = "licence", type = "string" },
                    new { name = "district", type = "string" },
                    new { name = "grade", type = "string" },
                    new { name = "salary", type = "integer" },
                },
            });
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var csv = new StringBuilder("name,licence,district,grade,salary\n");
            var n = 0;
            foreach (var (district, count) in new[] { ("A", 30), ("B", 25), ("C", 3) })
            {
                for (var i = 0; i < count; i++, n++)
                {
                    csv.Append(CultureInfo.InvariantCulture, $"员工{n},L{10_000 + n},{district},g{1 + n % 2},{3_000 + n * 10}\n");
                }
            }
            Assert.Equal("succeeded", (await host.UploadAsync(owner, Staff, csv.ToString())).GetProperty("status").GetString());
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_owner_sets_aggregate_access_and_a_verification_on_its_page_and_the_api_agrees(string db)
    {
        var host = await hosts.GetAsync(db);
        using var owner = await ConsolePeople.SignInAsync(host, Owner, "admin", $"analytics-owner-{db}@example.test");
        Assert.Contains($"href=\"{Analytics}\" data-analytics-link", await owner.GetStringAsync("/console/datasets"), StringComparison.Ordinal);
        var page = await owner.GetStringAsync(Analytics);
        Assert.Contains("data-aggregate-access=\"off\"", page, StringComparison.Ordinal);
        // A direct identifier is offered but cannot be ticked.
        Assert.Matches("value=\"name\"[^>]*disabled=\"disabled\" data-groupable=\"name\"", page);

        // A k that is not a whole number is refused on its field, and nothing changes.
        var refused = await owner.PostAsync(Analytics + "?handler=Aggregates", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("enabled", "true"), new("k", "2.5"), new("groupable", "district")]));
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("data-field-error=\"k\"", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"2.5\"", refusedHtml, StringComparison.Ordinal);
        var api = AccessScenarios.Reviewer(host, Owner);
        Assert.False((await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/datasets/{Staff}/aggregate-access")))["enabled"]!.GetValue<bool>());
        // The service's own rules hold on the page too: a bound must be positive.
        var badBound = await owner.PostAsync(Analytics + "?handler=Aggregates", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("enabled", "true"), new("k", "12"), new("bounds[salary]", "-5")]));
        Assert.Equal(HttpStatusCode.BadRequest, badBound.StatusCode);
        Assert.Contains("bound of &#x27;salary&#x27; must be above 0", await badBound.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var saved = await owner.PostAsync(Analytics + "?handler=Aggregates", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("enabled", "true"), new("k", "12"), new("dominance", "80"), new("epsilon", "0.5"), new("dailyBudget", "5"),
                new("groupable", "district"), new("groupable", "grade"), new("bounds[salary]", "5000")]));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await owner.GetStringAsync(saved.Headers.Location!.OriginalString);
        Assert.Contains("data-saved=\"aggregates\"", after, StringComparison.Ordinal);
        Assert.Contains("data-aggregate-access=\"on\"", after, StringComparison.Ordinal);
        var settings = await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/datasets/{Staff}/aggregate-access"));
        Assert.True(settings["enabled"]!.GetValue<bool>());
        Assert.Equal(12, settings["k"]!.GetValue<int>());
        Assert.Equal(0.5, settings["epsilon"]!.GetValue<double>());
        Assert.Equal(5, settings["dailyBudget"]!.GetValue<double>());
        Assert.Equal(80, settings["dominance"]!.GetValue<double>());
        Assert.Equal(new[] { "district", "grade" }, settings["groupable"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(5000, settings["bounds"]!["salary"]!.GetValue<double>());
        var audit = await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/audit?datasetId={Staff}&type=aggregate_access.changed"));
        var entry = Assert.Single(audit["items"]!.AsArray())!;
        Assert.Equal(12, entry["details"]!["k"]!.GetValue<int>());

        // The verification: licence identifies, district is checked too, per-field answers.
        var verified = await owner.PostAsync(Analytics + "?handler=Verification", new FormUrlEncodedContent(
            [.. AntiforgeryField(after), new("firstKey", "licence"), new("otherKeys", "district"), new("otherKeys", "licence"), new("answer", "fields")]));
        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        var definition = await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/datasets/{Staff}/verification"));
        Assert.Equal(new[] { "licence", "district" }, definition["keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal("fields", definition["answer"]!.GetValue<string>());
        Assert.Contains("data-verification=\"defined\"", await owner.GetStringAsync(Analytics), StringComparison.Ordinal);
        // No identifying key: refused on the keys field.
        var keyless = await owner.PostAsync(Analytics + "?handler=Verification", new FormUrlEncodedContent([.. AntiforgeryField(after), new("answer", "match")]));
        Assert.Equal(HttpStatusCode.BadRequest, keyless.StatusCode);
        Assert.Contains("data-field-error=\"keys\"", await keyless.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A consumer is refused the page (403); another owner does not find the dataset (404).
        using var consumer = OAuthFlows.Browser(host);
        await SignUpAsync(consumer, "分析读者" + db, "孙八", $"analytics-reader-{db}@example.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await consumer.GetAsync(Analytics)).StatusCode);
        using var other = await ConsolePeople.SignInAsync(host, "ningbo-market-supervision", "admin", $"analytics-other-{db}@example.test");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Analytics)).StatusCode);
        var foreign = await other.PostAsync(Analytics + "?handler=Aggregates", new FormUrlEncodedContent(
            [.. AntiforgeryField(await other.GetStringAsync("/console/airlock")), new("enabled", "false")]));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.True((await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/datasets/{Staff}/aggregate-access")))["enabled"]!.GetValue<bool>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_job_submitted_in_the_console_shows_no_output_until_the_owner_releases_it_in_the_airlock(string db)
    {
        var host = await hosts.GetAsync(db);
        using var requester = OAuthFlows.Browser(host);
        await SignUpAsync(requester, "研究所" + db, "周九", $"analysis-requester-{db}@example.test");
        var form = await requester.GetStringAsync($"/console/analysis?dataset={Staff}");
        Assert.Contains($"value=\"{Staff}\"", form, StringComparison.Ordinal);

        // A query naming an unknown column is refused with what to fix; nothing is submitted.
        var bad = await requester.PostAsync("/console/analysis?handler=Submit", new FormUrlEncodedContent(
            [.. AntiforgeryField(form), new("dataset", Staff), new("groupBy[0]", "nowhere"), new("measures[0]", "count")]));
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("queries[0]", badHtml, StringComparison.Ordinal);
        Assert.Contains("data-jobs-empty", badHtml, StringComparison.Ordinal);

        var submitted = await requester.PostAsync("/console/analysis?handler=Submit", new FormUrlEncodedContent(
            [.. AntiforgeryField(form), new("dataset", Staff), new("groupBy[0]", "district"), new("measures[0]", "count"),
                new("groupBy[1]", "grade"), new("measures[1]", "count"), new("groupBy[2]", ""), new("measures[2]", "")]));
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var id = Regex.Match(submitted.Headers.Location!.OriginalString, "submitted=(job_[0-9a-f]+)").Groups[1].Value;
        Assert.NotEmpty(id);

        using var owner = await ConsolePeople.SignInAsync(host, Owner, "admin", $"airlock-owner-{db}@example.test");
        var airlock = await AwaitAirlockAsync(owner, requester, id);
        var card = Card(airlock, "data-airlock-job=\"" + id + "\"");
        // The owner sees both checked outputs; the small district C is suppressed, not shown.
        Assert.Contains("data-output=\"0\"", card, StringComparison.Ordinal);
        Assert.Contains("data-output=\"1\"", card, StringComparison.Ordinal);
        Assert.Contains("data-suppressed=", card, StringComparison.Ordinal);
        Assert.DoesNotContain(">3</td>", card, StringComparison.Ordinal);

        // A release without a reason is refused and changes nothing.
        var reasonless = await owner.PostAsync("/console/airlock?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(airlock), new("jobId", id), new("reason", ""), new("decision", "release")]));
        Assert.Equal(HttpStatusCode.BadRequest, reasonless.StatusCode);
        await RequesterSeesNothingAsync(requester, id);

        var released = await owner.PostAsync("/console/airlock?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(airlock), new("jobId", id), new("withhold", "1"), new("reason", "只放行按区统计"), new("decision", "release")]));
        var releasedHtml = await released.Content.ReadAsStringAsync();
        Assert.True(released.StatusCode == HttpStatusCode.OK, releasedHtml);
        Assert.Contains($"data-decided=\"{id}\" data-decided-status=\"released\"", releasedHtml, StringComparison.Ordinal);
        Assert.Contains($"data-decided-job=\"{id}\"", releasedHtml, StringComparison.Ordinal);
        // Deciding again is too late.
        var again = await owner.PostAsync("/console/airlock?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(airlock), new("jobId", id), new("reason", "改主意"), new("decision", "reject")]));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("data-raced", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The requester now sees query 0's table, query 1 marked withheld with no table, and the owner's reason.
        var mine = Card(await requester.GetStringAsync("/console/analysis"), "data-job=\"" + id + "\"");
        Assert.Contains("data-job-status=\"released\"", mine, StringComparison.Ordinal);
        Assert.Contains("data-output=\"0\"", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("data-output=\"1\"", mine, StringComparison.Ordinal);
        Assert.Contains("data-withheld=\"1\"", mine, StringComparison.Ordinal);
        Assert.Contains("只放行按区统计", mine, StringComparison.Ordinal);

        // A second job, rejected: its outputs never reach the requester's page.
        var second = await requester.PostAsync("/console/analysis?handler=Submit", new FormUrlEncodedContent(
            [.. AntiforgeryField(form), new("dataset", Staff), new("groupBy[0]", "grade"), new("measures[0]", "count"), new("where[0]", "district = 'A'")]));
        var rejectedId = Regex.Match(second.Headers.Location!.OriginalString, "submitted=(job_[0-9a-f]+)").Groups[1].Value;
        var inbox = await AwaitAirlockAsync(owner, requester, rejectedId);
        var rejected = await owner.PostAsync("/console/airlock?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(inbox), new("jobId", rejectedId), new("reason", "目的不明"), new("decision", "reject")]));
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var rejectedCard = Card(await requester.GetStringAsync("/console/analysis"), "data-job=\"" + rejectedId + "\"");
        Assert.Contains("data-job-status=\"rejected\"", rejectedCard, StringComparison.Ordinal);
        Assert.DoesNotContain("data-output", rejectedCard, StringComparison.Ordinal);
        Assert.Contains("目的不明", rejectedCard, StringComparison.Ordinal);

        // A consumer has no airlock; an owner of other data sees neither job.
        Assert.Equal(HttpStatusCode.Forbidden, (await requester.GetAsync("/console/airlock")).StatusCode);
        using var other = await ConsolePeople.SignInAsync(host, "ningbo-market-supervision", "admin", $"airlock-other-{db}@example.test");
        var otherAirlock = await other.GetStringAsync("/console/airlock");
        Assert.DoesNotContain(id, otherAirlock, StringComparison.Ordinal);
        Assert.DoesNotContain(rejectedId, otherAirlock, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_consumer_asks_for_the_verification_only_and_the_owner_approves_it_without_columns(string db)
    {
        var host = await hosts.GetAsync(db);
        var api = AccessScenarios.Reviewer(host, Owner);
        var defined = await api.PutAsJsonAsync($"/v1/datasets/{Staff}/verification", new { keys = new[] { "licence", "district" }, answer = "match" });
        Assert.True(defined.StatusCode == HttpStatusCode.OK, await defined.Content.ReadAsStringAsync());
        using var consumer = OAuthFlows.Browser(host);
        await SignUpAsync(consumer, "核验公司" + db, "吴十", $"verify-consumer-{db}@example.test");
        var tenant = Regex.Match(await consumer.GetStringAsync("/console"), "data-tenant=\"([^\"]+)\"").Groups[1].Value;
        var page = await consumer.GetStringAsync($"/datasets/{Staff}");
        Assert.Contains("data-kind-choice", page, StringComparison.Ordinal);
        var form = FormFields(page, "data-request-access");
        // Columns ticked with a verify request are dropped: a verification shows no column.
        var submitted = await consumer.PostAsync("/console/requests/new", new FormUrlEncodedContent(
            [.. form.Where(f => f.Key is "__RequestVerificationToken" or "datasetId"), new("kind", "verify"), new("columns", "salary"),
                new("purpose", "核验供应商许可证号与所在区是否一致，用于招标资格审查"), new("durationDays", "30")]));
        Assert.True(submitted.StatusCode == HttpStatusCode.Redirect, await submitted.Content.ReadAsStringAsync());
        var request = Assert.Single((await PlatformHost.ReadJsonAsync(await host.As(tenant, "catalogue:read").GetAsync("/v1/access-requests?role=requester")))["items"]!.AsArray())!;
        Assert.Equal("verify", request["kind"]!.GetValue<string>());
        Assert.Null(request["columns"]);
        var id = request["id"]!.GetValue<string>();
        Assert.Contains("data-kind=\"verify\"", await consumer.GetStringAsync("/console/requests"), StringComparison.Ordinal);

        // The owner's inbox says what is asked and offers no columns to narrow; approving gives a verify grant.
        using var reviewer = await ConsolePeople.SignInAsync(host, Owner, "admin", $"verify-reviewer-{db}@example.test");
        var inbox = await reviewer.GetStringAsync("/console/inbox");
        var card = Card(inbox, $"data-inbox-request=\"{id}\"");
        Assert.Contains("data-verify-request", card, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"columns\"", card, StringComparison.Ordinal);
        var approved = await reviewer.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(inbox), new("requestId", id), new("reason", "核验不返回数据，同意"), new("decision", "approve")]));
        var approvedHtml = await approved.Content.ReadAsStringAsync();
        Assert.True(approved.StatusCode == HttpStatusCode.OK, approvedHtml);
        Assert.Contains($"data-decided=\"{id}\" data-decided-status=\"approved\"", approvedHtml, StringComparison.Ordinal);
        var grant = Assert.Single((await PlatformHost.ReadJsonAsync(await host.As(tenant, "catalogue:read").GetAsync("/v1/grants")))["items"]!.AsArray(),
            g => g!["datasetId"]!.GetValue<string>() == Staff)!;
        Assert.Equal("verify", grant["kind"]!.GetValue<string>());
        // The grant verifies and reads no row.
        var caller = host.As(tenant, "catalogue:read", "records:read");
        var verified = await caller.PostAsJsonAsync($"/v1/datasets/{Staff}/verify", new { records = new[] { new { licence = "L10000", district = "A" } } });
        Assert.True(verified.StatusCode == HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
        Assert.True((await PlatformHost.ReadJsonAsync(verified))["results"]![0]!["match"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, (await caller.GetAsync($"/v1/datasets/{Staff}/records")).StatusCode);
    }

    /// <summary>The requester's page while the job waits: its card, with no table at all.</summary>
    private static async Task RequesterSeesNothingAsync(HttpClient requester, string id)
    {
        var card = Card(await requester.GetStringAsync("/console/analysis"), "data-job=\"" + id + "\"");
        Assert.DoesNotContain("data-output", card, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", card, StringComparison.Ordinal);
    }

    /// <summary>Waits until the job awaits review in the owner's airlock, checking all the while that the requester sees no output.</summary>
    private static async Task<string> AwaitAirlockAsync(HttpClient owner, HttpClient requester, string id)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            await RequesterSeesNothingAsync(requester, id);
            var airlock = await owner.GetStringAsync("/console/airlock");
            if (airlock.Contains("data-airlock-job=\"" + id + "\"", StringComparison.Ordinal))
            {
                return airlock;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {id} did not reach the airlock");
    }

    /// <summary>The card (article) a marker opens.</summary>
    private static string Card(string html, string marker)
    {
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no card {marker}");
        var end = html.IndexOf("</article>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
