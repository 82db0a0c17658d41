using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Portal.ConsoleTests;

namespace OpenData.Tests.Portal;

/// <summary>
/// The owner's approval inbox on the real host: a reviewer of the seeded 12345 hotline's owner sees the requests awaiting it oldest
/// first, each with the requester's history and the re-identification risk the API measures for the same columns, measured again
/// when the columns are narrowed; decisions go through the API's rules (a reason always; a narrowed approval grants just those
/// columns; a second decision is told it came too late); people who do not review are refused.
/// </summary>
public sealed class InboxTests
{
    private const string Dataset = "hotline-12345-requests";
    private const string Owner = "ningbo-12345-hotline";
    private const string Purpose = "分析各区热线诉求的季节变化，用于公共服务研究";

    [DatabaseTheory, OnEachDatabase]
    public async Task Requests_await_the_reviewer_oldest_first_with_the_requesters_history_and_the_apis_risk_recomputed_when_narrowed(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var (_, first) = await ConsumerAsync(host, "甲研究院", "jia@example.test");
        var second = await OtherConsumerAsync(host, "inbox-yi", "乙研究所");
        var asFirst = host.As(first, "catalogue:read", "access:request");
        var owner = host.As(Owner, "catalogue:read", "access:review");

        // The first consumer's earlier request, rejected; then the second asks, then the first again.
        var earlier = await SubmitAsync(asFirst, "district", "category");
        await PlatformHost.ReadJsonAsync(await owner.PostAsJsonAsync($"/v1/access-requests/{earlier}/decision", new { decision = "reject", reason = "用途说明不足" }));
        var theirs = await SubmitAsync(host.As(second, "catalogue:read", "access:request"), "district", "category");
        var again = await SubmitAsync(asFirst, "district", "address", "category");

        using var reviewer = await ReviewerAsync(host, "reviewer@hotline.example.test");
        var page = await reviewer.GetAsync("/console/inbox");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Equal([theirs, again], Regex.Matches(html, "data-inbox-request=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        Assert.Contains("data-pending=\"2\"", html, StringComparison.Ordinal);
        Assert.Contains("待审批", html, StringComparison.Ordinal);

        var mine = Item(html, again);
        Assert.Contains(Purpose, mine, StringComparison.Ordinal);
        Assert.Contains("甲研究院", mine, StringComparison.Ordinal);
        Assert.Contains($"data-earlier=\"{earlier}\"", mine, StringComparison.Ordinal);
        Assert.Contains("data-status=\"rejected\"", mine, StringComparison.Ordinal);
        Assert.Contains("用途说明不足", mine, StringComparison.Ordinal);
        Assert.Contains("30 天", mine, StringComparison.Ordinal);
        Assert.Contains("这是该单位首次向本单位申请数据", Item(html, theirs), StringComparison.Ordinal);

        // The panel's figures are the API's for the columns asked (a full address singles callers out)...
        var asked = await RiskAsync(owner, "district,address,category");
        var (minK, share) = Figures(mine);
        Assert.Equal(asked["minK"]!.GetValue<long>(), minK);
        Assert.Equal(asked["shareBelow5"]!.GetValue<double>(), share);
        Assert.Equal(1, minK);
        Assert.Contains("data-risk-level=\"high\"", mine, StringComparison.Ordinal);

        // ...and again the API's when the reviewer leaves the address out: htmx gets the panel alone.
        using var narrow = new HttpRequestMessage(HttpMethod.Get, $"/console/inbox?handler=Risk&requestId={again}&columns=district&columns=category");
        narrow.Headers.Add("HX-Request", "true");
        var fragment = await reviewer.SendAsync(narrow);
        var panel = await fragment.Content.ReadAsStringAsync();
        Assert.True(fragment.StatusCode == HttpStatusCode.OK, panel);
        Assert.DoesNotContain("<html", panel, StringComparison.Ordinal);
        Assert.StartsWith("<section class=\"risk-panel", panel.Trim(), StringComparison.Ordinal);
        Assert.Contains($"data-risk-for=\"{again}\"", panel, StringComparison.Ordinal);
        Assert.Contains($"<div id=\"risk-{again}\" aria-live=\"polite\">", html, StringComparison.Ordinal);
        var narrowed = await RiskAsync(owner, "district,category");
        var (narrowK, narrowShare) = Figures(panel);
        Assert.Equal(narrowed["minK"]!.GetValue<long>(), narrowK);
        Assert.Equal(narrowed["shareBelow5"]!.GetValue<double>(), narrowShare);
        Assert.NotEqual(minK, narrowK);

        // Without script, the form's recompute button posts it back: the same figures, the address unchecked, the reason kept.
        var recomputed = await reviewer.PostAsync("/console/inbox?handler=Recompute", new FormUrlEncodedContent(
            [.. AntiforgeryField(html), new("requestId", again), new("columns", "district"), new("columns", "category"), new("reason", "草拟中的理由")]));
        var recomputedHtml = await recomputed.Content.ReadAsStringAsync();
        Assert.True(recomputed.StatusCode == HttpStatusCode.OK, recomputedHtml);
        var form = Item(recomputedHtml, again);
        Assert.Equal((narrowK, narrowShare), Figures(form));
        Assert.Matches("id=\"req-" + again + "-column-address\" value=\"address\">", form);
        Assert.Matches("id=\"req-" + again + "-column-district\" value=\"district\" checked=\"checked\">", form);
        Assert.Contains("草拟中的理由", form, StringComparison.Ordinal);
        // The other request keeps its own figures (it asked for district and category).
        Assert.Equal((narrowK, narrowShare), Figures(Item(recomputedHtml, theirs)));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_narrowed_approval_grants_just_those_columns_the_requester_sees_it_and_a_second_decision_is_told_it_came_too_late(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var (consumer, tenant) = await ConsumerAsync(host, "丙研究院", "bing@example.test");
        var request = await SubmitAsync(host.As(tenant, "catalogue:read", "access:request"), "district", "address", "category");
        var before = await consumer.GetStringAsync($"/datasets/{Dataset}");
        Assert.Contains("preview-refused", before, StringComparison.Ordinal);

        using var reviewer = await ReviewerAsync(host, "first@hotline.example.test");
        using var late = await ReviewerAsync(host, "second@hotline.example.test");
        var page = await reviewer.GetStringAsync("/console/inbox");
        var latePage = await late.GetStringAsync("/console/inbox");

        // Access ends at the start of the day chosen, China Standard Time: ten days from now rather than the 30 asked.
        var endDay = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var approved = await reviewer.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("requestId", request), new("columns", "district"), new("columns", "category"), new("expiresOn", endDay),
                new("reason", "按区统计即可，不需要详细地址"), new("decision", "approve")]));
        var approvedHtml = await approved.Content.ReadAsStringAsync();
        Assert.True(approved.StatusCode == HttpStatusCode.OK, approvedHtml);
        Assert.Contains($"data-decided=\"{request}\" data-decided-status=\"approved\"", approvedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-inbox-request=\"{request}\"", approvedHtml, StringComparison.Ordinal);
        Assert.Contains("data-pending=\"0\"", approvedHtml, StringComparison.Ordinal);
        // The audit trail names the reviewer who decided in the console (no app acted: the person did).
        var reviewerId = (await PlatformHost.ReadJsonAsync(await host.As(Owner, "tenant:admin").GetAsync($"/v1/tenants/{Owner}/members")))["items"]!.AsArray()
            .Single(m => m!["email"]!.GetValue<string>() == "first@hotline.example.test")!["id"]!.GetValue<string>();
        var decidedEntry = (await PlatformHost.ReadJsonAsync(await host.As(Owner, "catalogue:read").GetAsync($"/v1/audit?datasetId={Dataset}&type=access_request.decided")))["items"]!
            .AsArray().Single(e => e!["details"]!["request"]!.GetValue<string>() == request)!;
        Assert.Equal("person:" + reviewerId, decidedEntry["actorApp"]!.GetValue<string>());

        // The grant has just the columns left checked; the requester sees the decision at once, and its preview follows the grant.
        var grants = (await PlatformHost.ReadJsonAsync(await host.As(tenant, "catalogue:read").GetAsync("/v1/grants")))["items"]!.AsArray();
        var grant = Assert.Single(grants)!;
        Assert.Equal(["district", "category"], grant["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(DateTimeOffset.Parse(endDay + "T00:00:00+08:00", CultureInfo.InvariantCulture), grant["expiresAt"]!.GetValue<DateTimeOffset>());
        var requests = await consumer.GetStringAsync("/console/requests");
        Assert.Contains("data-status=\"approved\"", requests, StringComparison.Ordinal);
        Assert.Contains("按区统计即可，不需要详细地址", requests, StringComparison.Ordinal);
        var after = await consumer.GetStringAsync($"/datasets/{Dataset}");
        var preview = after[after.IndexOf("id=\"preview\"", StringComparison.Ordinal)..];
        Assert.DoesNotContain("preview-refused", preview, StringComparison.Ordinal);
        Assert.Contains("<code>district</code>", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("<code>address</code>", preview, StringComparison.Ordinal);

        // The second reviewer, on the page read before, decides too: too late, said in the page's language, with the inbox read again.
        var raced = await late.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(latePage), new("requestId", request), new("columns", "district"), new("columns", "address"), new("columns", "category"),
                new("reason", "同意"), new("decision", "approve")]));
        var racedHtml = await raced.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, raced.StatusCode);
        Assert.Contains("data-raced", racedHtml, StringComparison.Ordinal);
        Assert.Contains("该申请刚刚已由他人审批", racedHtml, StringComparison.Ordinal);
        Assert.Contains("data-inbox-empty", racedHtml, StringComparison.Ordinal);
        Assert.Single((await PlatformHost.ReadJsonAsync(await host.As(tenant, "catalogue:read").GetAsync("/v1/grants")))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_decision_needs_a_reason_people_who_do_not_review_are_refused_and_every_form_wants_its_antiforgery_token()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        var (consumer, tenant) = await ConsumerAsync(host, "丁研究院", "ding@example.test");
        var request = await SubmitAsync(host.As(tenant, "catalogue:read", "access:request"), "district", "category");
        using var reviewer = await ReviewerAsync(host, "reviewer@hotline.example.test");
        var page = await reviewer.GetStringAsync("/console/inbox");

        var reasonless = await reviewer.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("requestId", request), new("columns", "district"), new("reason", "  "), new("decision", "reject")]));
        var html = await reasonless.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, reasonless.StatusCode);
        var item = Item(html, request);
        Assert.Contains("data-field-error=\"reason\">请填写审批理由", item, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", item, StringComparison.Ordinal);
        // What was checked is kept; nothing was decided.
        Assert.Matches("id=\"req-" + request + "-column-category\" value=\"category\">", item);
        Assert.Equal("submitted", (await PlatformHost.ReadJsonAsync(await host.As(tenant, "catalogue:read").GetAsync($"/v1/access-requests/{request}")))["status"]!.GetValue<string>());

        // An approval may only narrow: none checked is refused on the columns.
        var none = await reviewer.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("requestId", request), new("reason", "同意"), new("decision", "approve")]));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("data-field-error=\"columns\">批准时只能授权", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // An end date is a date, and lies within the duration asked.
        foreach (var (day, text) in new[] { ("2099-01-01", "授权截止日期须晚于今天"), ("下周", "授权截止日期须晚于今天") })
        {
            var late = await reviewer.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
                [.. AntiforgeryField(page), new("requestId", request), new("columns", "district"), new("expiresOn", day), new("reason", "同意"), new("decision", "approve")]));
            Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
            Assert.Contains($"data-field-error=\"expiresAt\">{text}", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Asking for changes works like the API's: the requester sees it.
        var changes = await reviewer.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("requestId", request), new("columns", "district"), new("columns", "category"), new("reason", "请说明研究机构资质"), new("decision", "request-changes")]));
        Assert.Equal(HttpStatusCode.OK, changes.StatusCode);
        Assert.Contains("data-status=\"changes_requested\"", await consumer.GetStringAsync("/console/requests"), StringComparison.Ordinal);

        // A consumer's member holds no access:review: no tab, and the page refuses, in both its handlers.
        var console = await consumer.GetStringAsync("/console");
        Assert.DoesNotContain("data-inbox-tab", console, StringComparison.Ordinal);
        Assert.Contains("data-inbox-tab", page, StringComparison.Ordinal);
        var refused = await consumer.GetAsync("/console/inbox");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("只有本单位的审核人和管理员可以查看和审批数据申请", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await consumer.GetAsync($"/console/inbox?handler=Risk&requestId={request}&columns=district")).StatusCode);
        var decide = await consumer.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(console), new("requestId", request), new("reason", "同意"), new("decision", "approve")]));
        Assert.Equal(HttpStatusCode.Forbidden, decide.StatusCode);
        // In English, the refusal in English.
        Assert.Equal(HttpStatusCode.Redirect, (await consumer.PostAsync("/language", new FormUrlEncodedContent(FormFields(console, "data-language-switch")))).StatusCode);
        Assert.Contains("Only your organisation's reviewers and admins see and decide access requests.",
            WebUtility.HtmlDecode(await (await consumer.GetAsync("/console/inbox")).Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // Without the page's antiforgery token, no form is taken.
        foreach (var handler in new[] { "Decide", "Recompute" })
        {
            var forged = await reviewer.PostAsync($"/console/inbox?handler={handler}", new FormUrlEncodedContent(
                [new("requestId", request), new("columns", "district"), new("reason", "伪造"), new("decision", "approve")]));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
    }

    /// <summary>A consumer signed up in the portal (its admin's browser) and its tenant id.</summary>
    private static async Task<(HttpClient Browser, string Tenant)> ConsumerAsync(PlatformHost host, string organisation, string email)
    {
        var browser = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await SignUpAsync(browser, organisation, "申请人", email)).StatusCode);
        var tenant = Regex.Match(await browser.GetStringAsync("/console"), "data-tenant=\"([^\"]+)\"").Groups[1].Value;
        return (browser, tenant);
    }

    private static async Task<string> OtherConsumerAsync(PlatformHost host, string id, string name)
    {
        var op = host.As("platform", "platform:admin", "tenant:admin");
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync("/v1/tenants", new { id, name, kind = "consumer" }), HttpStatusCode.Created);
        return id;
    }

    /// <summary>A reviewer of the hotline's owner, added by its admin through the API, signed in.</summary>
    private static async Task<HttpClient> ReviewerAsync(PlatformHost host, string email)
    {
        await PlatformHost.ReadJsonAsync(await host.As(Owner, "tenant:admin").PostAsJsonAsync($"/v1/tenants/{Owner}/members",
            new { email, name = "审核员", role = "reviewer", password = Password }), HttpStatusCode.Created);
        var browser = OAuthFlows.Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, email, Password)).StatusCode);
        return browser;
    }

    private static async Task<string> SubmitAsync(HttpClient consumer, params string[] columns)
    {
        var created = await PlatformHost.ReadJsonAsync(await consumer.PostAsJsonAsync("/v1/access-requests",
            new { datasetId = Dataset, columns, purpose = Purpose, durationDays = 30 }), HttpStatusCode.Created);
        return created["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> RiskAsync(HttpClient owner, string columns) =>
        await PlatformHost.ReadJsonAsync(await owner.GetAsync($"/v1/datasets/{Dataset}/risk?columns={columns}"));

    /// <summary>The part of the inbox page about one request.</summary>
    private static string Item(string html, string request)
    {
        var match = Regex.Match(html, $"<article [^>]*data-inbox-request=\"{request}\".*?</article>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no request {request} in the inbox");
        return match.Value;
    }

    /// <summary>The risk panel's figures (its data attributes, which its text says in words).</summary>
    private static (long MinK, double Share) Figures(string html) =>
        (long.Parse(Regex.Match(html, "data-min-k=\"([0-9]+)\"").Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(Regex.Match(html, "data-share-below5=\"([^\"]+)\"").Groups[1].Value, CultureInfo.InvariantCulture));
}
