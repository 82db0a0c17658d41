using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using OpenData.Tests.Auth;
using OpenData.Tests.Contests;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Portal.ConsoleTests;

namespace OpenData.Tests.Portal;

/// <summary>
/// Judging and results in the portal (issue 17), on the platform's clock: the organiser names judges on the judging page; a
/// judge's page shows entries by their codes only — never a team's or tenant's name — with a scoring form per entry whose
/// refusals stay on that entry; a judge never sees the entry of their own tenant's team; the organiser publishes with awards,
/// then the leaderboard and the showcase are public, and the winning team's admin takes its app live.
/// </summary>
public sealed class ContestJudgingPagesTests
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [DatabaseTheory, OnEachDatabase]
    public async Task A_judge_scores_blind_entries_and_the_judges_pages_name_no_team_or_tenant(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "blind-2026");
        scenario.At(ContestScenario.StartsAt);
        var north = await ContestPeople.EntryAsync(host, "blind-2026", "blind-north", "北岸潮汐队", "tide@north.example", "潮汐预报", Pdf);
        var south = await ContestPeople.EntryAsync(host, "blind-2026", "blind-south", "南岸渡口队", "ferry@south.example", "渡口排队");
        var op = host.As("platform", "platform:admin", "tenant:admin");
        await op.PostAsJsonAsync("/v1/tenants", new { id = "blind-panel", name = "评审专家组", kind = "consumer" });
        using var judge = await ConsolePeople.SignInAsync(host, "blind-panel", "developer", "judge@panel.example");
        // A person of the north team's tenant judges too: never the north entry.
        using var conflicted = await ConsolePeople.SignInAsync(host, "blind-north", "developer", "judge@north.example");

        // The organiser names the judges on the judging page; an e-mail nobody signs in with is refused beside the field.
        using var organiser = await ConsolePeople.OperatorAsync(host, "blind-organiser@example.test");
        const string judging = "/console/contests/blind-2026/judging";
        var token = AntiforgeryField(await organiser.GetStringAsync(judging));
        var nobody = await organiser.PostAsync(judging + "?handler=AddJudge", Fields(token, ("email", "nobody@panel.example")));
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        Assert.Contains("data-field-error=\"email\">没有使用该邮箱登录的用户", await nobody.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var email in new[] { "judge@panel.example", "judge@north.example" })
        {
            var added = await organiser.PostAsync(judging + "?handler=AddJudge", Fields(token, ("email", email)));
            Assert.Contains("data-done=\"judge-added\"", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var panel = await organiser.GetStringAsync(judging);
        Assert.Contains("data-judge-count=\"2\"", panel, StringComparison.Ordinal);
        Assert.Matches("data-judge=\"judge@north.example\">(?s:.*?)data-sees=\"1\"(?s:.*?)data-excluded=\"1\">北岸潮汐队<", panel);

        // Before the deadline judging is not open: the page says when it opens.
        var early = await judge.GetAsync("/console/contests/blind-2026/judge");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("data-refused=\"contest.judging_not_open\"", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        scenario.At(ContestScenario.SubmissionEndsAt.AddHours(1));
        foreach (var (browser, email) in new[] { (judge, "judge@panel.example"), (conflicted, "judge@north.example") })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(browser, email, ConsolePeople.Password)).StatusCode);
        }
        const string page = "/console/contests/blind-2026/judge";
        var html = await judge.GetStringAsync(page);
        var codes = Regex.Matches(html, "data-entry=\"([0-9a-f]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, codes.Count);
        Assert.Contains("潮汐预报", html, StringComparison.Ordinal);
        Assert.Contains("data-entry-attachment", html, StringComparison.Ordinal);
        var hub = await judge.GetStringAsync("/console/contests");
        Assert.Contains("href=\"/console/contests/blind-2026/judge\"", hub, StringComparison.Ordinal);
        foreach (var (where, text) in new[] { ("entries", html), ("hub", hub) })
        {
            foreach (var secret in new[] { "北岸潮汐队", "南岸渡口队", "blind-north", "blind-south", north, south, "tide@north.example", "ferry@south.example" })
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"the judge's {where} page shows '{secret}'");
            }
        }
        var northCode = Regex.Match(html, "data-entry=\"([0-9a-f]+)\"[^>]*>\\s*<h3[^>]*>[^<]*潮汐预报").Groups[1].Value;
        Assert.NotEmpty(northCode);
        var pdf = await judge.GetAsync($"/console/contests/blind-2026/entries/{northCode}/attachment");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal($"entry-{northCode}.pdf", pdf.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal(Pdf, await pdf.Content.ReadAsByteArrayAsync());

        // Scoring: a refusal stays on its entry's form, what was typed kept; then the scorecard is saved with its total.
        token = AntiforgeryField(html);
        var other = codes.Single(c => c != northCode);
        var bad = await judge.PostAsync(page + "?handler=Score", Fields(token, ("entry", northCode), ("scores[0]", "8"), ("scores[1]", "11"), ("scores[2]", "6"),
            ("scores[3]", "7"), ("comment", "")));
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains($"id=\"entry-{northCode}-scores-error\" class=\"text-danger small\" data-field-error=\"scores\">请为每项标准打分", badHtml, StringComparison.Ordinal);
        Assert.Contains($"id=\"entry-{northCode}-comment-error\"", badHtml, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"entry-{other}-comment-error\"", badHtml, StringComparison.Ordinal);
        Assert.Contains($"id=\"entry-{northCode}-score-1\" name=\"scores[1]\" value=\"11\"", badHtml, StringComparison.Ordinal);
        var scored = await judge.PostAsync(page + "?handler=Score", Fields(token, ("entry", northCode), ("scores[0]", "8"), ("scores[1]", "9"), ("scores[2]", "6"),
            ("scores[3]", "7"), ("comment", "数据用得扎实，界面还可以更简洁。")));
        var scoredHtml = await scored.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        Assert.Contains($"data-entry=\"{northCode}\" data-scored=\"true\"", scoredHtml, StringComparison.Ordinal);
        Assert.Contains("data-done=\"scored\"", scoredHtml, StringComparison.Ordinal);
        // 0.3×8 + 0.3×9 + 0.2×6 + 0.2×7 = 7.7 of 10: 77 of 100.
        Assert.Contains("data-my-total=\"77\"", scoredHtml, StringComparison.Ordinal);
        Assert.Contains(">数据用得扎实，界面还可以更简洁。</textarea>", scoredHtml, StringComparison.Ordinal);

        // The judge of the north team's tenant sees the south entry only; someone who is no judge is told so.
        var conflictedHtml = await conflicted.GetStringAsync(page);
        Assert.Equal([other], Regex.Matches(conflictedHtml, "data-entry=\"([0-9a-f]+)\"").Select(m => m.Groups[1].Value));
        Assert.DoesNotContain("潮汐预报", conflictedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await conflicted.GetAsync($"/console/contests/blind-2026/entries/{northCode}/attachment")).StatusCode);
        using var stranger = OAuthFlows.Browser(host);
        await SignUpAsync(stranger, "路人公司", "冯一", "feng@example.test");
        var refused = await stranger.GetAsync(page);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("data-refused=\"contest.not_a_judge\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The organiser's standings count the scorecard; the organiser sees the teams there.
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.SignInAsync(organiser, "blind-organiser@example.test", ConsolePeople.Password)).StatusCode);
        var standings = await organiser.GetStringAsync(judging);
        Assert.Contains($"data-standing=\"{north}\" data-rank=\"1\"", standings, StringComparison.Ordinal);
        Assert.Contains("data-score=\"77\"", standings, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_organiser_publishes_with_awards_then_the_leaderboard_and_showcase_are_public_and_the_winner_takes_its_app_live(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "award-2026");
        scenario.At(ContestScenario.StartsAt);
        var winner = await ContestPeople.EntryAsync(host, "award-2026", "award-win", "落地队", "w@win.example", "热线回访助手");
        var runner = await ContestPeople.EntryAsync(host, "award-2026", "award-run", "亚军队", "r@run.example", "空气播报");
        scenario.At(ContestScenario.SubmissionEndsAt.AddHours(1));
        var judge = await ContestPeople.PersonAsync(host, "award-panel", "judge@award-panel.example");
        await ContestPeople.AddJudgeAsync(host, "award-2026", "judge@award-panel.example");
        var entries = (await PlatformHost.ReadJsonAsync(await judge.GetAsync("/v1/contests/award-2026/entries")))["items"]!.AsArray()
            .ToDictionary(e => e!["title"]!.GetValue<string>(), e => e!["entry"]!.GetValue<string>());
        foreach (var (title, each) in new[] { ("热线回访助手", 9.0), ("空气播报", 7.0) })
        {
            await PlatformHost.ReadJsonAsync(await judge.PostAsJsonAsync("/v1/contests/award-2026/scores",
                ContestPeople.Scorecard(entries[title], "评语", ("innovation", each), ("public value", each), ("use of data", each), ("execution", each))), HttpStatusCode.Created);
        }

        // The standings propose first and second prize (in the page's language); the organiser keeps the first and gives the second none.
        using var organiser = await ConsolePeople.OperatorAsync(host, "award-organiser@example.test");
        const string judging = "/console/contests/award-2026/judging";
        var standings = await organiser.GetStringAsync(judging);
        Assert.Contains($"name=\"awards[{winner}]\" value=\"一等奖\"", standings, StringComparison.Ordinal);
        Assert.Contains($"name=\"awards[{runner}]\" value=\"二等奖\"", standings, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await organiser.GetAsync("/contests/award-2026/showcase")).StatusCode);
        var published = await organiser.PostAsync(judging + "?handler=Publish", Fields(AntiforgeryField(standings), ($"awards[{winner}]", "一等奖"), ($"awards[{runner}]", "")));
        var publishedHtml = await published.Content.ReadAsStringAsync();
        Assert.True(published.StatusCode == HttpStatusCode.OK, publishedHtml);
        Assert.Contains("data-done=\"published\"", publishedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("data-confirm-publish", publishedHtml, StringComparison.Ordinal);

        // Public now: the leaderboard with both teams, the showcase with the winner only, its data linked, not live yet.
        using var visitor = OAuthFlows.Browser(host);
        var board = await visitor.GetAsync("/contests/award-2026/leaderboard");
        var boardHtml = await board.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        Assert.Contains("data-standing=\"落地队\" data-rank=\"1\"", boardHtml, StringComparison.Ordinal);
        Assert.Contains("data-standing=\"亚军队\" data-rank=\"2\"", boardHtml, StringComparison.Ordinal);
        Assert.Contains("<td data-award>一等奖</td>", boardHtml, StringComparison.Ordinal);
        var showcase = await visitor.GetStringAsync("/contests/award-2026/showcase");
        Assert.Contains("data-winner=\"落地队\" data-live=\"false\"", showcase, StringComparison.Ordinal);
        Assert.DoesNotContain("亚军队", showcase, StringComparison.Ordinal);
        Assert.Contains($"data-dataset=\"{AccessScenarios.Restricted}\"", showcase, StringComparison.Ordinal);
        Assert.Contains("data-not-live", showcase, StringComparison.Ordinal);
        Assert.Contains("href=\"/contests/award-2026/showcase\"", await visitor.GetStringAsync("/contests/award-2026"), StringComparison.Ordinal);

        // The winning team's admin takes its app live from the team's page; the runner-up's page offers nothing of the kind.
        using var admin = await ConsolePeople.SignInAsync(host, "award-win", "admin", "admin@win.example");
        var teamPath = $"/console/contests/award-2026/teams/{winner}";
        var team = await admin.GetStringAsync(teamPath);
        Assert.Contains("data-place=\"1\" data-award=\"一等奖\"", team, StringComparison.Ordinal);
        Assert.Contains("data-take-live", team, StringComparison.Ordinal);
        var live = await admin.PostAsync(teamPath + "?handler=TakeLive", Fields(AntiforgeryField(team)));
        var liveHtml = await live.Content.ReadAsStringAsync();
        Assert.True(live.StatusCode == HttpStatusCode.OK, liveHtml);
        Assert.Contains("data-done=\"live\"", liveHtml, StringComparison.Ordinal);
        Assert.Matches("<code data-client-secret>ods_[^<]+</code>", liveHtml);
        Assert.Contains("data-live-drafts=", liveHtml, StringComparison.Ordinal);
        Assert.Contains("data-taken-live", await admin.GetStringAsync(teamPath), StringComparison.Ordinal);
        Assert.Contains("data-winner=\"落地队\" data-live=\"true\"", await visitor.GetStringAsync("/contests/award-2026/showcase"), StringComparison.Ordinal);
        using var runnerAdmin = await ConsolePeople.SignInAsync(host, "award-run", "admin", "admin@run.example");
        var runnerTeam = await runnerAdmin.GetStringAsync($"/console/contests/award-2026/teams/{runner}");
        Assert.Contains("data-place=\"2\"", runnerTeam, StringComparison.Ordinal);
        Assert.DoesNotContain("data-take-live", runnerTeam, StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Fields(KeyValuePair<string, string>[] token, params (string Name, string Value)[] fields) =>
        new([.. token, .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
}
