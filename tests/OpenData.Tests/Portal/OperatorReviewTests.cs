using System.Net;
using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;
using static OpenData.Tests.Portal.ConsoleTests;

namespace OpenData.Tests.Portal;

/// <summary>
/// The platform's second-stage review of sensitive (L3) data in the console: a consumer asks, the owner approves in its inbox
/// (the request is then <c>owner_approved</c>, gone from the owner's inbox), the operators' inbox lists it with the columns the
/// owner approved, the requester's history and the same risk panel, its tab counts it; one operator approves and the grant is
/// active at once; a second operator, deciding on the page read before, is told it came too late (409).
/// </summary>
public sealed class OperatorReviewTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task The_owner_approves_then_the_operator_decides_the_platform_stage_with_the_risk_in_view_and_a_racing_operator_gets_a_conflict(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        await CreateSensitiveAsync(host);
        var consumer = Consumer(host, "l3-reader");
        var request = (await SubmitAsync(consumer, Sensitive, new[] { "caseNo", "person", "benefit" }))["id"]!.GetValue<string>();

        // The owner's reviewer approves in the owner's inbox, narrowing to two columns: the request now awaits the platform.
        using var owner = await ConsolePeople.SignInAsync(host, SensitiveOwner, "reviewer", "l3-owner@example.test");
        var ownerInbox = await owner.GetStringAsync("/console/inbox");
        Assert.Contains($"data-inbox-request=\"{request}\" data-requester=\"l3-reader\" data-stage=\"owner\"", ownerInbox, StringComparison.Ordinal);
        var ownerApproved = await owner.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(ownerInbox), new("requestId", request), new("columns", "caseNo"), new("columns", "benefit"),
                new("reason", "只需案件号和金额"), new("decision", "approve")]));
        var ownerHtml = await ownerApproved.Content.ReadAsStringAsync();
        Assert.True(ownerApproved.StatusCode == HttpStatusCode.OK, ownerHtml);
        Assert.Contains($"data-decided=\"{request}\" data-decided-status=\"owner_approved\"", ownerHtml, StringComparison.Ordinal);
        Assert.Contains("data-inbox-empty", ownerHtml, StringComparison.Ordinal);
        Assert.Contains("data-pending=\"0\"", ownerHtml, StringComparison.Ordinal);

        // The operators' inbox: the platform's stage, the columns the owner approved, its reason, the same risk as the API's.
        using var first = await ConsolePeople.OperatorAsync(host, "op-one@example.test");
        using var second = await ConsolePeople.OperatorAsync(host, "op-two@example.test");
        var page = await first.GetAsync("/console/inbox");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("data-pending=\"1\"", html, StringComparison.Ordinal);
        Assert.Contains("待平台审核的敏感数据申请", html, StringComparison.Ordinal);
        var item = Item(html, request);
        Assert.Contains("data-stage=\"platform\"", item, StringComparison.Ordinal);
        Assert.Contains("只需案件号和金额", item, StringComparison.Ordinal);
        Assert.Contains("data-owner-approved=", item, StringComparison.Ordinal);
        Assert.Matches($"id=\"req-{request}-column-caseNo\" value=\"caseNo\" checked=\"checked\">", item);
        Assert.Matches($"id=\"req-{request}-column-benefit\" value=\"benefit\" checked=\"checked\">", item);
        Assert.DoesNotContain($"req-{request}-column-person", item, StringComparison.Ordinal);
        Assert.Contains("这是该单位首次在平台上申请数据", item, StringComparison.Ordinal);
        var api = await PlatformHost.ReadJsonAsync(await AccessScenarios.Platform(host).GetAsync($"/v1/access-requests/{request}"));
        Assert.Equal("owner_approved", api["status"]!.GetValue<string>());
        var risk = api["risk"];
        Assert.NotNull(risk);
        Assert.Contains($"data-risk-for=\"{request}\" data-columns=\"caseNo,benefit\"", item, StringComparison.Ordinal);
        if (risk!["minK"] is { } minK)
        {
            Assert.Contains($"data-min-k=\"{minK}\"", item, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("data-min-k=", item, StringComparison.Ordinal);
        }
        // Narrowed further, the panel is measured again (htmx asks for it alone).
        using var narrow = new HttpRequestMessage(HttpMethod.Get, $"/console/inbox?handler=Risk&requestId={request}&columns=benefit");
        narrow.Headers.Add("HX-Request", "true");
        var panel = await (await first.SendAsync(narrow)).Content.ReadAsStringAsync();
        Assert.StartsWith("<section class=\"risk-panel", panel.Trim(), StringComparison.Ordinal);
        Assert.Contains($"data-risk-for=\"{request}\" data-columns=\"benefit\"", panel, StringComparison.Ordinal);
        var latePage = await second.GetStringAsync("/console/inbox");

        // The first operator approves: the grant is active at once, with the owner's columns.
        var approved = await first.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(html), new("requestId", request), new("columns", "caseNo"), new("columns", "benefit"),
                new("reason", "平台安全审核通过"), new("decision", "approve")]));
        var approvedHtml = await approved.Content.ReadAsStringAsync();
        Assert.True(approved.StatusCode == HttpStatusCode.OK, approvedHtml);
        Assert.Contains($"data-decided=\"{request}\" data-decided-status=\"approved\"", approvedHtml, StringComparison.Ordinal);
        Assert.Contains("data-pending=\"0\"", approvedHtml, StringComparison.Ordinal);
        var grant = Assert.Single((await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/grants")))["items"]!.AsArray())!;
        Assert.Equal("active", grant["status"]!.GetValue<string>());
        Assert.Equal(["caseNo", "benefit"], grant["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        var history = (await PlatformHost.ReadJsonAsync(await consumer.GetAsync($"/v1/access-requests/{request}")))["history"]!.AsArray();
        Assert.Equal("platform", history[^1]!["actor"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync($"/v1/datasets/{Sensitive}/records?limit=1")).StatusCode);

        // The second operator, on the page read before: too late, said clearly, with the inbox read again.
        var raced = await second.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(latePage), new("requestId", request), new("columns", "caseNo"), new("reason", "驳回"), new("decision", "reject")]));
        var racedHtml = await raced.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, raced.StatusCode);
        Assert.Contains("data-raced", racedHtml, StringComparison.Ordinal);
        Assert.Contains("该申请刚刚已由他人审批", racedHtml, StringComparison.Ordinal);
        Assert.Contains("data-inbox-empty", racedHtml, StringComparison.Ordinal);
        Assert.Equal("active", (await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/grants")))["items"]!.AsArray()[0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_operators_inbox_holds_only_the_platform_stage_and_its_decisions_keep_the_apis_rules()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        await CreateSensitiveAsync(host);
        var consumer = Consumer(host, "l3-other");
        // A restricted (L2) request awaits its owner: not the operator's to decide.
        var l2 = (await SubmitAsync(consumer, Restricted))["id"]!.GetValue<string>();
        var l3 = (await SubmitAsync(consumer, Sensitive))["id"]!.GetValue<string>();
        using var op = await ConsolePeople.OperatorAsync(host, "op-rules@example.test");
        var html = await op.GetStringAsync("/console/inbox");
        Assert.Contains("data-inbox-empty", html, StringComparison.Ordinal);
        Assert.Contains("data-pending=\"0\"", html, StringComparison.Ordinal);
        // Deciding an owner's stage from the operator's inbox is the API's refusal; the request stays where it was.
        var early = await op.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(html), new("requestId", l3), new("reason", "越级"), new("decision", "approve")]));
        Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);
        Assert.Equal("submitted", (await PlatformHost.ReadJsonAsync(await consumer.GetAsync($"/v1/access-requests/{l3}")))["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(Reviewer(host, SensitiveOwner), l3, "approve")).StatusCode);
        var page = await op.GetStringAsync("/console/inbox");
        Assert.Contains($"data-inbox-request=\"{l3}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-inbox-request=\"{l2}\"", page, StringComparison.Ordinal);
        Assert.Contains("data-pending=\"1\"", page, StringComparison.Ordinal);
        // A decision gives its reason; asking for changes sends it back to the requester.
        var reasonless = await op.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("requestId", l3), new("reason", " "), new("decision", "reject")]));
        Assert.Equal(HttpStatusCode.BadRequest, reasonless.StatusCode);
        Assert.Contains("data-field-error=\"reason\"", await reasonless.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var changes = await op.PostAsync("/console/inbox?handler=Decide", new FormUrlEncodedContent(
            [.. AntiforgeryField(page), new("requestId", l3), new("reason", "请补充数据安全措施"), new("decision", "request-changes")]));
        Assert.Equal(HttpStatusCode.OK, changes.StatusCode);
        Assert.Equal("changes_requested", (await PlatformHost.ReadJsonAsync(await consumer.GetAsync($"/v1/access-requests/{l3}")))["status"]!.GetValue<string>());

        // In English, the operator's inbox speaks of the platform's review.
        await ConsolePeople.EnglishAsync(op, page);
        Assert.Contains("Sensitive data awaiting the platform's review", WebUtility.HtmlDecode(await op.GetStringAsync("/console/inbox")), StringComparison.Ordinal);
    }

    private static string Item(string html, string request)
    {
        var match = Regex.Match(html, $"<article [^>]*data-inbox-request=\"{request}\".*?</article>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no request {request} in the inbox");
        return match.Value;
    }
}
