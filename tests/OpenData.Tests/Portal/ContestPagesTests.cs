using System.Net;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Contests;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Portal.ConsoleTests;

namespace OpenData.Tests.Portal;

/// <summary>
/// The contests' pages (issue 17) on the platform's clock: the public list and a contest's page with its phase marked on the
/// timeline, in both languages; the leaderboard hidden (404) before publication; the organiser's form creating and editing a
/// contest through the service, its refusals beside the fields; nobody else organises.
/// </summary>
public sealed class ContestPagesTests
{
    private const string AirQuality = "宁波市空气质量日报";

    [DatabaseTheory, OnEachDatabase]
    public async Task The_public_pages_list_a_contest_and_show_its_phase_timeline_datasets_and_how_to_register_in_both_languages(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "portal-2026", new { descriptionEn = "Build good apps with public data.", teamSizeLimit = 4 });
        await ContestScenario.CreateAsync(host, "hidden-2026", new { visibility = "invite", allowedDomains = new[] { "nbu.edu.cn" } });
        using var browser = OAuthFlows.Browser(host);

        // Before the start: upcoming, and no registration yet.
        var upcoming = await browser.GetStringAsync("/contests/portal-2026");
        Assert.Contains("aria-current=\"step\" data-step=\"upcoming\"", upcoming, StringComparison.Ordinal);
        Assert.Contains("data-registration-closed", upcoming, StringComparison.Ordinal);
        Assert.DoesNotContain("data-register-link", upcoming, StringComparison.Ordinal);

        scenario.At(ContestScenario.StartsAt.AddDays(1));
        var list = await browser.GetStringAsync("/contests");
        Assert.Contains("data-contest=\"portal-2026\" data-phase=\"registration\"", list, StringComparison.Ordinal);
        Assert.Contains("宁波数据开放创新应用大赛 portal-2026", list, StringComparison.Ordinal);
        Assert.Contains("报名中", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/contests\"", list, StringComparison.Ordinal);
        // An invite-only contest is not listed, but its link is its invitation.
        Assert.DoesNotContain("hidden-2026", list, StringComparison.Ordinal);
        var hidden = await browser.GetAsync("/contests/hidden-2026");
        Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);
        Assert.Contains("data-allowed-domains>@nbu.edu.cn<", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var page = await browser.GetStringAsync("/contests/portal-2026");
        Assert.Contains("<h1 class=\"h2\">宁波数据开放创新应用大赛 portal-2026</h1>", page, StringComparison.Ordinal);
        Assert.Contains("用公共数据做出好应用。", page, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"step\" data-step=\"registration\"", page, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(page, "aria-current=\"step\""));
        Assert.Contains($"href=\"/datasets/ningbo-air-quality-daily\" data-dataset=\"ningbo-air-quality-daily\">{AirQuality}</a>", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/datasets/{AccessScenarios.Restricted}\"", page, StringComparison.Ordinal);
        Assert.Contains("data-team-size=\"4\">最多 4 人", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/contests/portal-2026/register\" data-register-link", page, StringComparison.Ordinal);
        Assert.Contains("<li>app</li>", page, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">innovation</th>", page, StringComparison.Ordinal);
        // 2026-06-01T00:00Z is 08:00 in China Standard Time.
        Assert.Contains("2026年6月1日 08:00", page, StringComparison.Ordinal);

        // In English: the organiser's English title and description, the phases in English.
        await ConsolePeople.EnglishAsync(browser, page);
        var english = await browser.GetStringAsync("/contests/portal-2026");
        Assert.Contains("<h1 class=\"h2\">Ningbo open data innovation contest portal-2026</h1>", english, StringComparison.Ordinal);
        Assert.Contains("Build good apps with public data.", english, StringComparison.Ordinal);
        Assert.Contains("Registration open", english, StringComparison.Ordinal);
        Assert.Contains("up to 4 people", english, StringComparison.Ordinal);

        // Later phases are marked as they come; an unknown contest is 404.
        scenario.At(ContestScenario.RegistrationEndsAt.AddHours(1));
        var build = await browser.GetStringAsync("/contests/portal-2026");
        Assert.Contains("aria-current=\"step\" data-step=\"build\"", build, StringComparison.Ordinal);
        Assert.Contains("class=\"contest-step over\" data-step=\"registration\"", build, StringComparison.Ordinal);
        Assert.DoesNotContain("data-register-link", build, StringComparison.Ordinal);
        var none = await browser.GetAsync("/contests/no-such-contest");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("data-contest-not-found", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_leaderboard_is_hidden_before_the_results_are_published(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "board-2026");
        scenario.At(ContestScenario.SubmissionEndsAt.AddDays(1));
        using var browser = OAuthFlows.Browser(host);
        var board = await browser.GetAsync("/contests/board-2026/leaderboard");
        var html = await board.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, board.StatusCode);
        Assert.Contains("data-not-published data-phase=\"judging\"", html, StringComparison.Ordinal);
        Assert.Contains("结果尚未公布", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-standing", html, StringComparison.Ordinal);
        var unknown = await browser.GetAsync("/contests/no-such-contest/leaderboard");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("data-contest-not-found", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_organiser_creates_and_edits_a_contest_with_the_services_refusals_beside_the_fields(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        using var organiser = await ConsolePeople.OperatorAsync(host, "organiser@example.test");
        Assert.Contains("data-new-contest", await organiser.GetStringAsync("/console/contests"), StringComparison.Ordinal);
        var form = await organiser.GetStringAsync("/console/contests/new");
        Assert.Contains("name=\"rubric[0].name\" value=\"innovation\"", form, StringComparison.Ordinal);
        var token = AntiforgeryField(form);

        // What is not a date is said beside the field before anything is sent.
        var notADate = await organiser.PostAsync("/console/contests/new", Form(token, ContestForm("form-2026") with { StartsAt = "next spring" }));
        var notADateHtml = await notADate.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, notADate.StatusCode);
        Assert.Contains("data-field-error=\"startsAt\">请输入日期和时间", notADateHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"next spring\"", notADateHtml, StringComparison.Ordinal);

        // The service's refusals, each beside its field, in the page's language; what was typed stays.
        var bad = await organiser.PostAsync("/console/contests/new", Form(token, ContestForm("form-2026") with
        {
            Title = "", Datasets = "no-such-dataset", TeamSizeLimit = "0", Visibility = "invite",
        }));
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        foreach (var field in new[] { "title", "datasets", "teamSizeLimit", "allowedDomains" })
        {
            Assert.Contains($"data-field-error=\"{field}\"", badHtml, StringComparison.Ordinal);
        }
        Assert.Contains("团队人数为 1 至 50 人", badHtml, StringComparison.Ordinal);
        Assert.Contains(">no-such-dataset</textarea>", badHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous().GetAsync("/v1/contests/form-2026")).StatusCode);

        // A good form creates the contest and leads to its organiser's page; the dates were China Standard Time.
        var created = await organiser.PostAsync("/console/contests/new", Form(token, ContestForm("form-2026")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/console/contests/form-2026/organise?done=created", created.Headers.Location!.OriginalString);
        var api = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/contests/form-2026"));
        Assert.Equal("Form contest", api["titleEn"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse("2026-06-01T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture), api["startsAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(["ningbo-villages", AccessScenarios.Restricted], api["datasets"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(["app", "algorithm"], api["tracks"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(["impact", "craft"], api["rubric"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("manual", api["approval"]!.GetValue<string>());
        var organise = await organiser.GetStringAsync("/console/contests/form-2026/organise?done=created");
        Assert.Contains("data-done=\"created\"", organise, StringComparison.Ordinal);
        Assert.Contains("data-organise=\"form-2026\" data-phase=\"upcoming\"", organise, StringComparison.Ordinal);

        // The same id again: refused beside the id.
        var twice = await organiser.PostAsync("/console/contests/new", Form(token, ContestForm("form-2026")));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("data-field-error=\"id\">已有相同标识的大赛", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Editing: the form holds the contest as it is (dates in China Standard Time); new rules raise the terms' version.
        var edit = await organiser.GetStringAsync("/console/contests/form-2026/edit");
        Assert.Contains("value=\"2026-06-01T09:00\"", edit, StringComparison.Ordinal);
        Assert.Contains("name=\"rubric[1].name\" value=\"craft\"", edit, StringComparison.Ordinal);
        Assert.Contains($">ningbo-villages\n{AccessScenarios.Restricted}</textarea>", WebUtility.HtmlDecode(edit), StringComparison.Ordinal);
        var saved = await organiser.PostAsync("/console/contests/form-2026/edit", Form(AntiforgeryField(edit), ContestForm(null) with
        {
            TeamSizeLimit = "3", Rules = "只在沙箱中使用数据。",
        }));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/console/contests/form-2026/organise?done=saved", saved.Headers.Location!.OriginalString);
        var after = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/contests/form-2026"));
        Assert.Equal(3, after["teamSizeLimit"]!.GetValue<int>());
        Assert.Equal(2, after["termsVersion"]!.GetValue<int>());
        Assert.Equal("只在沙箱中使用数据。", after["rules"]!.GetValue<string>());
        var badEdit = await organiser.PostAsync("/console/contests/form-2026/edit", Form(AntiforgeryField(edit), ContestForm(null) with { SubmissionEndsAt = "2026-06-01T10:00" }));
        Assert.Equal(HttpStatusCode.BadRequest, badEdit.StatusCode);
        Assert.Contains("data-field-error=\"submissionEndsAt\">作品提交截止不能早于报名截止", await badEdit.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nobody else organises: a consumer's person is told so (403) and what they post creates nothing.
        using var consumer = OAuthFlows.Browser(host);
        await SignUpAsync(consumer, "参赛公司", "周八", "zhou@example.test");
        Assert.DoesNotContain("data-new-contest", await consumer.GetStringAsync("/console/contests"), StringComparison.Ordinal);
        foreach (var path in new[] { "/console/contests/new", "/console/contests/form-2026/edit", "/console/contests/form-2026/organise" })
        {
            var refused = await consumer.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("data-refused=\"organisers-only\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var consumerToken = AntiforgeryField(await consumer.GetStringAsync("/console/contests"));
        var forged = await consumer.PostAsync("/console/contests/new", Form(consumerToken, ContestForm("forged-2026")));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous().GetAsync("/v1/contests/forged-2026")).StatusCode);
    }

    /// <summary>The organiser's form as a person fills it in (dates in China Standard Time, as the inputs hold them).</summary>
    private sealed record ContestFormInput(
        string? Id, string Title, string TitleEn, string Description, string Rules, string Datasets, string Tracks, string StartsAt,
        string RegistrationEndsAt, string SubmissionEndsAt, string EndsAt, string TeamSizeLimit, string Visibility, string Approval);

    private static ContestFormInput ContestForm(string? id) => new(
        id, "表单大赛", "Form contest", "用表单创建的大赛。", "只在沙箱中使用数据，不得重新识别任何人。", "ningbo-villages\n" + AccessScenarios.Restricted,
        "app\nalgorithm", "2026-06-01T09:00", "2026-06-11T09:00", "2026-06-21T09:00", "2026-07-01T09:00", "5", "public", "manual");

    private static FormUrlEncodedContent Form(KeyValuePair<string, string>[] token, ContestFormInput input)
    {
        var fields = new List<KeyValuePair<string, string>>(token)
        {
            new("title", input.Title), new("titleEn", input.TitleEn), new("description", input.Description), new("rules", input.Rules),
            new("datasets", input.Datasets), new("tracks", input.Tracks), new("startsAt", input.StartsAt), new("registrationEndsAt", input.RegistrationEndsAt),
            new("submissionEndsAt", input.SubmissionEndsAt), new("endsAt", input.EndsAt), new("teamSizeLimit", input.TeamSizeLimit),
            new("visibility", input.Visibility), new("approval", input.Approval),
            new("rubric[0].name", "impact"), new("rubric[0].weight", "2"), new("rubric[0].max", "10"),
            new("rubric[1].name", "craft"), new("rubric[1].weight", "1"), new("rubric[1].max", "5"),
            new("rubric[2].name", ""), new("rubric[2].weight", ""), new("rubric[2].max", ""),
        };
        if (input.Id is not null)
        {
            fields.Add(new("id", input.Id));
        }
        return new FormUrlEncodedContent(fields);
    }
}
