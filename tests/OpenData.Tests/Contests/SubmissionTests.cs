using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contests;

/// <summary>
/// Submissions (issue 17) on a test clock: versions until the deadline and none after, every version kept for the organiser,
/// attachments checked by their content (a PDF of at most 20 MB without active content) and returned only to whom may read them.
/// </summary>
public sealed class SubmissionTests
{
    /// <summary>The smallest PDF readers open: a header, one page, the cross-reference and the end marker.</summary>
    internal static byte[] Pdf(string extra = "") => Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        + "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + extra + ">> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient team, string contest, string teamId, byte[] content, string name = "deck.pdf", string type = "application/pdf")
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(type);
        return await team.PostAsync($"/v1/contests/{contest}/teams/{teamId}/attachments?name={Uri.EscapeDataString(name)}", body);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Versions_are_taken_until_the_deadline_and_the_organiser_keeps_every_one(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "deadline-2026");
        scenario.At(ContestScenario.StartsAt.AddDays(2));
        var teamId = (await ContestScenario.RegisterAsync(host, "deadline-2026", "deadline-team", "守时", "d@example.org"))["team"]!["id"]!.GetValue<string>();
        var team = ContestScenario.Team(host, "deadline-team");
        var first = await PlatformHost.ReadJsonAsync(await team.PostAsJsonAsync("/v1/contests/deadline-2026/submissions", new
        {
            teamId, title = "热线地图", description = "第一版", url = "https://demo.example.org/v1", datasets = new[] { AccessScenarios.Restricted },
        }), HttpStatusCode.Created);
        Assert.Equal(1, first["version"]!.GetValue<int>());
        scenario.At(ContestScenario.SubmissionEndsAt.AddSeconds(-1));
        var second = await PlatformHost.ReadJsonAsync(await team.PostAsJsonAsync("/v1/contests/deadline-2026/submissions", new
        {
            teamId, title = "热线地图", description = "最后一版", url = "https://demo.example.org/v2", repositoryUrl = "https://git.example.org/hotline-map",
        }), HttpStatusCode.Created);
        Assert.Equal(2, second["version"]!.GetValue<int>());
        scenario.At(ContestScenario.SubmissionEndsAt);
        var late = await ProblemAssert.IsProblemAsync(await team.PostAsJsonAsync("/v1/contests/deadline-2026/submissions", new
        {
            teamId, title = "热线地图", description = "迟到一秒", url = "https://demo.example.org/v3",
        }), HttpStatusCode.Conflict, "contest.submission_closed");
        Assert.Contains("closed at", late["detail"]!.GetValue<string>());

        var all = (await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/contests/deadline-2026/submissions")))["items"]!.AsArray();
        Assert.Equal([(1, false, "第一版"), (2, true, "最后一版")],
            all.Select(s => (s!["version"]!.GetValue<int>(), s["current"]!.GetValue<bool>(), s["description"]!.GetValue<string>())));
        var own = (await PlatformHost.ReadJsonAsync(await team.GetAsync("/v1/contests/deadline-2026/submissions")))["items"]!.AsArray();
        Assert.Equal(2, own.Count);
        Assert.Empty((await PlatformHost.ReadJsonAsync(await ContestScenario.Team(host, "deadline-other").GetAsync("/v1/contests/deadline-2026/submissions")))["items"]!.AsArray());
        var audit = await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/audit?type=contest.submitted"));
        Assert.Equal(2, audit["items"]!.AsArray().Count(e => e!["subject"]?.GetValue<string>() == teamId));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Bad_submissions_and_unapproved_teams_are_refused(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "checks-2026", new { approval = "manual" });
        scenario.At(ContestScenario.StartsAt);
        var teamId = (await ContestScenario.RegisterAsync(host, "checks-2026", "checks-team", "检查", "c@example.org"))["team"]!["id"]!.GetValue<string>();
        var team = ContestScenario.Team(host, "checks-team");
        await ProblemAssert.IsProblemAsync(await team.PostAsJsonAsync("/v1/contests/checks-2026/submissions", new { teamId, title = "t", description = "d", url = "https://demo.example.org" }),
            HttpStatusCode.Conflict, "contest.team_not_approved");
        await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).PostAsJsonAsync($"/v1/contests/checks-2026/teams/{teamId}/decision", new { decision = "approve" }));
        var problem = await ProblemAssert.IsProblemAsync(await team.PostAsJsonAsync("/v1/contests/checks-2026/submissions", new
        {
            teamId, title = "", description = "d", url = "javascript:alert(1)", repositoryUrl = "https://user:pw@git.example.org/x",
            datasets = new[] { ContestScenario.OutOfScope }, attachmentId = "att_nope",
        }), HttpStatusCode.BadRequest, "request.validation");
        Assert.Equal(["attachmentId", "datasets", "repositoryUrl", "title", "url"], problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "checks-other").PostAsJsonAsync("/v1/contests/checks-2026/submissions",
            new { teamId, title = "t", description = "d", url = "https://demo.example.org" }), HttpStatusCode.NotFound, "contest.team_not_found");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Attachments_are_pdfs_by_content_within_20_mb_and_only_the_team_and_organiser_download_them(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "pdf-2026");
        scenario.At(ContestScenario.StartsAt);
        var teamId = (await ContestScenario.RegisterAsync(host, "pdf-2026", "pdf-team", "文档", "p@example.org"))["team"]!["id"]!.GetValue<string>();
        var team = ContestScenario.Team(host, "pdf-team");

        await ProblemAssert.IsProblemAsync(await UploadAsync(team, "pdf-2026", teamId, Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")),
            (HttpStatusCode)415, "contest.attachment_not_pdf");
        await ProblemAssert.IsProblemAsync(await UploadAsync(team, "pdf-2026", teamId, Pdf("/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> ")),
            (HttpStatusCode)415, "contest.attachment_not_pdf");
        await ProblemAssert.IsProblemAsync(await UploadAsync(team, "pdf-2026", teamId, Pdf()[..40]), (HttpStatusCode)415, "contest.attachment_not_pdf");
        var big = new byte[(20 * 1024 * 1024) + 1];
        Pdf().CopyTo(big, 0);
        await ProblemAssert.IsProblemAsync(await UploadAsync(team, "pdf-2026", teamId, big), HttpStatusCode.RequestEntityTooLarge, "contest.attachment_too_large");

        var pdf = Pdf("/Annots [] ");
        var uploaded = await PlatformHost.ReadJsonAsync(await UploadAsync(team, "pdf-2026", teamId, pdf, "路演 deck.pdf"), HttpStatusCode.Created);
        var attachmentId = uploaded["id"]!.GetValue<string>();
        Assert.Equal(pdf.Length, uploaded["size"]!.GetValue<long>());
        var submitted = await PlatformHost.ReadJsonAsync(await team.PostAsJsonAsync("/v1/contests/pdf-2026/submissions", new
        {
            teamId, title = "路演", description = "带附件", url = "https://demo.example.org", attachmentId,
        }), HttpStatusCode.Created);
        Assert.Equal(attachmentId, submitted["attachment"]!["id"]!.GetValue<string>());

        var download = await team.GetAsync($"/v1/contests/pdf-2026/attachments/{attachmentId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("attachment;", download.Content.Headers.ContentDisposition!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await ContestScenario.Organiser(host).GetAsync($"/v1/contests/pdf-2026/attachments/{attachmentId}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "pdf-other").GetAsync($"/v1/contests/pdf-2026/attachments/{attachmentId}"),
            HttpStatusCode.NotFound, "contest.attachment_not_found");
        // Another team cannot attach this team's file to its own submission.
        var otherId = (await ContestScenario.RegisterAsync(host, "pdf-2026", "pdf-other", "别人", "q@example.org"))["team"]!["id"]!.GetValue<string>();
        await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "pdf-other").PostAsJsonAsync("/v1/contests/pdf-2026/submissions", new
        {
            teamId = otherId, title = "借用", description = "d", url = "https://demo.example.org", attachmentId,
        }), HttpStatusCode.BadRequest, "request.validation");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task GraphQL_registers_a_team_lists_it_and_submits_as_REST_does(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "graph-2026");
        scenario.At(ContestScenario.StartsAt);
        var team = ContestScenario.Team(host, "graph-team");
        var registered = (await GraphQLCalls.PostAsync(team, """
            mutation { registerContestTeam(contestId: "graph-2026", name: "图谱", members: ["g@example.org"], track: "app", acceptTerms: true) {
              team { id status track termsVersion } credentials { clientId clientSecret } } }
            """)).Ok()["registerContestTeam"]!;
        Assert.Equal("approved", registered["team"]!["status"]!.GetValue<string>());
        Assert.StartsWith("sbx_", registered["credentials"]!["clientSecret"]!.GetValue<string>());
        var teamId = registered["team"]!["id"]!.GetValue<string>();
        var refused = await GraphQLCalls.PostAsync(team, """
            mutation { registerContestTeam(contestId: "graph-2026", name: "图谱二", members: ["h@example.org"], acceptTerms: false) { team { id } } }
            """);
        GraphQLCalls.AssertFieldError(refused, "contest.terms_not_accepted", 400);
        var submitted = (await GraphQLCalls.PostAsync(team, $$"""
            mutation { submitToContest(contestId: "graph-2026", teamId: "{{teamId}}", title: "图谱", description: "d", url: "https://demo.example.org", datasets: ["ningbo-air-quality-daily"]) {
              version current datasets } }
            """)).Ok()["submitToContest"]!;
        Assert.Equal(1, submitted["version"]!.GetValue<int>());
        var listed = (await GraphQLCalls.PostAsync(team, """{ contestTeams(contestId: "graph-2026") { name members } contestSubmissions(contestId: "graph-2026") { title version } }""")).Ok();
        Assert.Equal("图谱", listed["contestTeams"]![0]!["name"]!.GetValue<string>());
        Assert.Single(listed["contestSubmissions"]!.AsArray());
        // A sandbox token does not register or submit: those are live actions.
        var sandbox = host.AsIn("sandbox", "graph-team", "catalogue:read", "records:read");
        var mismatch = await GraphQLCalls.PostAsync(sandbox, """
            mutation { registerContestTeam(contestId: "graph-2026", name: "沙箱", members: ["s@example.org"], acceptTerms: true) { team { id } } }
            """);
        GraphQLCalls.AssertFieldError(mismatch, "env.mismatch", 403);
    }
}
