using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Contests;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Portal.ConsoleTests;

namespace OpenData.Tests.Portal;

/// <summary>
/// A contest's teams in the console (issue 17), on the platform's clock: a consumer's person registers a team with the terms shown
/// and accepted, the service's refusals beside the fields; the team's page shows its credentials once and issues new ones,
/// changes the members while registration is open, and submits versions with a PDF until the deadline; the organiser decides
/// pending teams with a reason, and reads every version and its PDF; nobody else reads a team's PDF.
/// </summary>
public sealed class ContestTeamPagesTests
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [DatabaseTheory, OnEachDatabase]
    public async Task A_team_registers_gets_its_credentials_once_changes_its_members_and_submits_versions_with_a_pdf_until_the_deadline(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "team-2026", new { teamSizeLimit = 3 });
        scenario.At(ContestScenario.StartsAt.AddHours(1));
        using var browser = OAuthFlows.Browser(host);
        await SignUpAsync(browser, "参赛公司", "周八", "zhou@example.test");
        Assert.Contains("href=\"/console/contests/team-2026/register\" data-register-link", await browser.GetStringAsync("/console/contests"), StringComparison.Ordinal);
        const string register = "/console/contests/team-2026/register";
        var form = await browser.GetStringAsync(register);
        Assert.Contains("data-terms>Teams use the contest", form, StringComparison.Ordinal);
        Assert.Contains("接受以上参赛规则与条款（第 1 版）", form, StringComparison.Ordinal);
        var token = AntiforgeryField(form);

        // Each refusal beside its field, what was typed kept.
        var noTerms = await browser.PostAsync(register, Fields(token, ("name", "数据先锋"), ("members", "li@example.test")));
        Assert.Equal(HttpStatusCode.BadRequest, noTerms.StatusCode);
        var noTermsHtml = await noTerms.Content.ReadAsStringAsync();
        Assert.Contains("data-field-error=\"acceptTerms\">请接受参赛条款后再报名", noTermsHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"数据先锋\"", noTermsHtml, StringComparison.Ordinal);
        var badMail = await browser.PostAsync(register, Fields(token, ("name", "数据先锋"), ("members", "not-an-address"), ("acceptTerms", "true")));
        Assert.Equal(HttpStatusCode.BadRequest, badMail.StatusCode);
        Assert.Contains("data-field-error=\"members\">请按行填写成员的邮箱地址", await badMail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var tooMany = await browser.PostAsync(register, Fields(token, ("name", "数据先锋"), ("members", "a@example.test\nb@example.test\nc@example.test"), ("acceptTerms", "true")));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("data-field-error=\"members\">团队人数超过了大赛的人数上限", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Registered and approved at once: the sandbox credentials are in this answer, and only here.
        var registered = await browser.PostAsync(register, Fields(token, ("name", "数据先锋"), ("members", "li@example.test"), ("track", "app"), ("acceptTerms", "true")));
        var registeredHtml = await registered.Content.ReadAsStringAsync();
        Assert.True(registered.StatusCode == HttpStatusCode.OK, registeredHtml);
        Assert.Contains("data-team-status=\"approved\"", registeredHtml, StringComparison.Ordinal);
        var secret = Regex.Match(registeredHtml, "<code data-client-secret>([^<]+)</code>").Groups[1].Value;
        Assert.StartsWith("sbx_", secret, StringComparison.Ordinal);
        var teamPath = Regex.Match(registeredHtml, "href=\"(/console/contests/team-2026/teams/[^\"]+)\" data-team-link").Groups[1].Value;
        Assert.NotEmpty(teamPath);

        var team = await browser.GetStringAsync(teamPath);
        Assert.Contains("data-team-status=\"approved\"", team, StringComparison.Ordinal);
        Assert.Contains("<li>li@example.test</li>", team, StringComparison.Ordinal);
        Assert.Contains("<li>zhou@example.test</li>", team, StringComparison.Ordinal);
        Assert.Contains("data-team-client-id>sbx_", team, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, team, StringComparison.Ordinal);
        Assert.DoesNotContain("data-client-secret", team, StringComparison.Ordinal);
        token = AntiforgeryField(team);
        var issued = await browser.PostAsync(teamPath + "?handler=Credentials", Fields(token));
        var issuedHtml = await issued.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var newSecret = Regex.Match(issuedHtml, "<code data-client-secret>([^<]+)</code>").Groups[1].Value;
        Assert.StartsWith("sbx_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(secret, newSecret);

        // Members change while registration is open; a person in another team is refused beside the members.
        var changed = await browser.PostAsync(teamPath + "?handler=Update", Fields(token, ("name", "数据先锋"), ("members", "li@example.test\nwang@example.test"), ("track", "app")));
        var changedHtml = await changed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("data-done=\"updated\"", changedHtml, StringComparison.Ordinal);
        Assert.Contains("<li>wang@example.test</li>", changedHtml, StringComparison.Ordinal);
        using (var rival = OAuthFlows.Browser(host))
        {
            await SignUpAsync(rival, "另一家公司", "吴九", "wu@example.test");
            var taken = await rival.PostAsync(register, Fields(AntiforgeryField(await rival.GetStringAsync(register)),
                ("name", "后来者"), ("members", "wang@example.test"), ("acceptTerms", "true")));
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
            Assert.Contains("data-field-error=\"members\">有成员已加入本次大赛的其他团队", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A file that is not a PDF is refused beside the file input; what was typed stays.
        var notPdf = await browser.PostAsync(teamPath + "?handler=Submit", Submission(token, "城市数据助手", "https://demo.example.org/app",
            ("notes.pdf", Encoding.UTF8.GetBytes("just text"))));
        var notPdfHtml = await notPdf.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notPdf.StatusCode);
        Assert.Contains("data-field-error=\"attachment\">该文件不是可接受的 PDF", notPdfHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"城市数据助手\"", notPdfHtml, StringComparison.Ordinal);

        // A good PDF with a bad demo address: the address is refused, the PDF is kept for the next try.
        var badUrl = await browser.PostAsync(teamPath + "?handler=Submit", Submission(token, "城市数据助手", "ftp://demo", ("slides.pdf", Pdf)));
        var badUrlHtml = await badUrl.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, badUrl.StatusCode);
        Assert.Contains("data-field-error=\"url\">请填写演示地址", badUrlHtml, StringComparison.Ordinal);
        Assert.Contains("data-attachment-kept", badUrlHtml, StringComparison.Ordinal);
        var kept = Regex.Match(badUrlHtml, "name=\"attachmentId\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("att_", kept, StringComparison.Ordinal);
        var first = await browser.PostAsync(teamPath + "?handler=Submit", Submission(token, "城市数据助手", "https://demo.example.org/app", null, ("attachmentId", kept)));
        var firstHtml = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.OK, firstHtml);
        Assert.Contains("data-done=\"submitted\"", firstHtml, StringComparison.Ordinal);
        Assert.Contains("data-version=\"1\" data-current=\"true\"", firstHtml, StringComparison.Ordinal);
        Assert.Contains($"data-attachment=\"{kept}\">slides.pdf", firstHtml, StringComparison.Ordinal);
        // The form starts the next version from this one.
        Assert.Contains("value=\"https://demo.example.org/app\"", firstHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"ningbo-air-quality-daily\" checked", firstHtml, StringComparison.Ordinal);
        var second = await browser.PostAsync(teamPath + "?handler=Submit", Submission(token, "城市数据助手 2", "https://demo.example.org/app2", ("v2.pdf", Pdf)));
        var secondHtml = await second.Content.ReadAsStringAsync();
        Assert.Contains("data-version=\"2\" data-current=\"true\"", secondHtml, StringComparison.Ordinal);
        Assert.Contains("data-version=\"1\" data-current=\"false\"", secondHtml, StringComparison.Ordinal);

        // The team downloads its PDF, as a download under a sandboxing policy; another tenant's person finds none.
        var download = await browser.GetAsync($"/console/contests/team-2026/attachments/{kept}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType ?? download.Headers.GetValues("Content-Disposition").First().Split(';')[0]);
        Assert.Equal("sandbox", string.Join(",", download.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        using (var other = OAuthFlows.Browser(host))
        {
            await SignUpAsync(other, "旁观公司", "郑十", "zheng@example.test");
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/console/contests/team-2026/attachments/{kept}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(teamPath)).StatusCode);
        }

        // The organiser reads every version and its PDF.
        using var organiser = await ConsolePeople.OperatorAsync(host, "team-organiser@example.test");
        var all = await organiser.GetStringAsync("/console/contests/team-2026/submissions");
        Assert.Contains("data-version-count=\"2\"", all, StringComparison.Ordinal);
        Assert.Contains("数据先锋", all, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await organiser.GetAsync($"/console/contests/team-2026/attachments/{kept}")).StatusCode);

        // Registration closes (the members stay), then the deadline passes: the form is gone and a late post is refused.
        scenario.At(ContestScenario.RegistrationEndsAt.AddHours(1));
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, "zhou@example.test", Password)).StatusCode);
        var built = await browser.GetStringAsync(teamPath);
        Assert.Contains("data-changes-closed", built, StringComparison.Ordinal);
        Assert.DoesNotContain("data-team-form", built, StringComparison.Ordinal);
        Assert.Contains("data-submission-form", built, StringComparison.Ordinal);
        scenario.At(ContestScenario.SubmissionEndsAt.AddHours(1));
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, "zhou@example.test", Password)).StatusCode);
        var closed = await browser.GetStringAsync(teamPath);
        Assert.Contains("data-submission-closed", closed, StringComparison.Ordinal);
        Assert.DoesNotContain("data-submission-form", closed, StringComparison.Ordinal);
        var late = await browser.PostAsync(teamPath + "?handler=Submit", Submission(AntiforgeryField(closed), "太迟了", "https://demo.example.org/late", null));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("data-form-error=\"submission\">目前不能提交作品", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_organiser_approves_and_rejects_pending_teams_with_a_reason_the_team_reads(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "manual-2026", new { approval = "manual" });
        scenario.At(ContestScenario.StartsAt.AddHours(1));
        const string register = "/console/contests/manual-2026/register";
        var teams = new List<(HttpClient Browser, string Path)>();
        foreach (var (company, name, email, team) in new[] { ("甲公司", "张三", "zhang@example.test", "甲队"), ("乙公司", "李四", "li4@example.test", "乙队") })
        {
            var browser = OAuthFlows.Browser(host);
            await SignUpAsync(browser, company, name, email);
            var answer = await (await browser.PostAsync(register, Fields(AntiforgeryField(await browser.GetStringAsync(register)),
                ("name", team), ("members", ""), ("acceptTerms", "true")))).Content.ReadAsStringAsync();
            Assert.Contains("data-team-status=\"pending\"", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("data-client-secret", answer, StringComparison.Ordinal);
            teams.Add((browser, Regex.Match(answer, "href=\"(/console/contests/manual-2026/teams/[^\"]+)\" data-team-link").Groups[1].Value));
        }
        var (first, firstPath) = teams[0];
        var pending = await first.GetStringAsync(firstPath);
        Assert.Contains("data-no-credentials", pending, StringComparison.Ordinal);
        Assert.DoesNotContain("data-issue-credentials", pending, StringComparison.Ordinal);
        var early = await first.PostAsync(firstPath + "?handler=Credentials", Fields(AntiforgeryField(pending)));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("data-form-error=\"credentials\">团队尚未通过审核", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var organiser = await ConsolePeople.OperatorAsync(host, "manual-organiser@example.test");
        var organise = await organiser.GetStringAsync("/console/contests/manual-2026/organise");
        Assert.Equal(2, Regex.Count(organise, "data-team-status=\"pending\""));
        var firstId = firstPath[(firstPath.LastIndexOf('/') + 1)..];
        var secondId = teams[1].Path[(teams[1].Path.LastIndexOf('/') + 1)..];
        var token = AntiforgeryField(organise);
        var noReason = await organiser.PostAsync("/console/contests/manual-2026/organise?handler=Decide", Fields(token, ("teamId", firstId), ("decision", "reject"), ("reason", "")));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var noReasonHtml = await noReason.Content.ReadAsStringAsync();
        Assert.Contains($"id=\"reason-{firstId}-error\" class=\"invalid-feedback\" data-field-error=\"reason\">请填写驳回理由", noReasonHtml, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"reason-{secondId}-error\"", noReasonHtml, StringComparison.Ordinal);
        var rejected = await organiser.PostAsync("/console/contests/manual-2026/organise?handler=Decide",
            Fields(token, ("teamId", firstId), ("decision", "reject"), ("reason", "成员不属于数据使用单位")));
        var rejectedHtml = await rejected.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Contains("data-done=\"decided\"", rejectedHtml, StringComparison.Ordinal);
        Assert.Contains($"data-team=\"{firstId}\" data-team-status=\"rejected\"", rejectedHtml, StringComparison.Ordinal);
        Assert.Contains(">成员不属于数据使用单位</span>", rejectedHtml, StringComparison.Ordinal);
        var approved = await organiser.PostAsync("/console/contests/manual-2026/organise?handler=Decide", Fields(token, ("teamId", secondId), ("decision", "approve"), ("reason", "")));
        Assert.Contains($"data-team=\"{secondId}\" data-team-status=\"approved\"", await approved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var twice = await organiser.PostAsync("/console/contests/manual-2026/organise?handler=Decide", Fields(token, ("teamId", secondId), ("decision", "reject"), ("reason", "改主意")));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("该团队已审核过", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The rejected team reads the reason and submits nothing; the approved one issues its credentials.
        var rejectedTeam = await first.GetStringAsync(firstPath);
        Assert.Contains("data-team-status=\"rejected\"", rejectedTeam, StringComparison.Ordinal);
        Assert.Contains("data-decision-reason><strong>组织方的理由：</strong> 成员不属于数据使用单位", rejectedTeam, StringComparison.Ordinal);
        Assert.Contains("data-submission-closed>团队通过审核后才能提交作品", rejectedTeam, StringComparison.Ordinal);
        var (second, secondPath) = teams[1];
        var credentials = await second.PostAsync(secondPath + "?handler=Credentials", Fields(AntiforgeryField(await second.GetStringAsync(secondPath))));
        Assert.Matches("<code data-client-secret>sbx_[^<]+</code>", await credentials.Content.ReadAsStringAsync());

        // The organiser reads a team's page but acts for none; a data owner's person registers no team.
        var asOrganiser = await organiser.GetStringAsync(secondPath);
        Assert.Contains("data-team-status=\"approved\"", asOrganiser, StringComparison.Ordinal);
        Assert.DoesNotContain("data-issue-credentials", asOrganiser, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await organiser.PostAsync(secondPath + "?handler=Credentials", Fields(AntiforgeryField(asOrganiser)))).StatusCode);
        using var owner = await ConsolePeople.SignInAsync(host, "ningbo-civil-affairs", "admin", "manual-owner@example.test");
        var refused = await owner.GetAsync(register);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("data-refused=\"consumers-only\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var (browser, _) in teams)
        {
            browser.Dispose();
        }
    }

    private static FormUrlEncodedContent Fields(KeyValuePair<string, string>[] token, params (string Name, string Value)[] fields) =>
        new([.. token, .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    private static MultipartFormDataContent Submission(KeyValuePair<string, string>[] token, string title, string url, (string Name, byte[] Content)? file,
        params (string Name, string Value)[] more)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in token.Select(t => (t.Key, t.Value)).Concat([("title", title), ("description", "用公共数据帮市民办事。"), ("url", url),
            ("repositoryUrl", "https://git.example.org/team/app"), ("datasets", "ningbo-air-quality-daily")]).Concat(more))
        {
            form.Add(new StringContent(value), name);
        }
        if (file is { } f)
        {
            var content = new ByteArrayContent(f.Content);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(content, "attachment", f.Name);
        }
        return form;
    }
}
