using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contests;

/// <summary>
/// Judging (issue 17) over HTTP on a test clock, written as the attacks it must withstand: a judge learns nothing of who is behind
/// an entry (no team name, id, tenant or member e-mail anywhere in their answers, errors or GraphQL), a judge of a team's tenant —
/// or a member of the team — never sees or scores its entry, whatever the assignment, and an app's token is no judge. Scores add up
/// to the weighted mean exactly, and five judges or more have the extremes dropped.
/// </summary>
public sealed class JudgingTests
{
    private const string ZebraTenant = "zebra-works-tenant";
    private const string ZebraName = "Zebra Crossing Collective 斑马线";
    private const string ZebraMember = "zara.lead@zebra-works.example";
    private const string KestrelTenant = "kestrel-labs-tenant";
    private const string KestrelName = "Kestrel Night Shift 红隼";
    private const string KestrelMember = "kai.dev@kestrel-labs.example";

    [DatabaseTheory, OnEachDatabase]
    public async Task Review_is_blind_and_no_judge_sees_an_entry_they_have_a_conflict_with(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "blind-2026");
        scenario.At(ContestScenario.StartsAt);
        var pdf = SubmissionTests.Pdf("/Annots [] ");
        var zebra = await ContestPeople.EntryAsync(host, "blind-2026", ZebraTenant, ZebraName, ZebraMember, "公交到站提醒", pdf);
        var kestrel = await ContestPeople.EntryAsync(host, "blind-2026", KestrelTenant, KestrelName, KestrelMember, "热线夜间地图");
        // Everything that would give a team away.
        string[] secrets = [ZebraName, "Zebra Crossing", "斑马线", KestrelName, "Kestrel Night", "红隼", zebra, kestrel, ZebraTenant, KestrelTenant, ZebraMember, KestrelMember];

        // The panel: an outsider; a person of Kestrel's tenant; a person of another tenant who is listed as a member of Zebra's team.
        var outsider = await ContestPeople.PersonAsync(host, "panel-experts", "judge.one@panel.example");
        var sameTenant = await ContestPeople.PersonAsync(host, KestrelTenant, "judge.two@kestrel-labs.example");
        await ContestPeople.AddJudgeAsync(host, "blind-2026", "judge.one@panel.example");
        // Assigned to both teams: the conflict wins over the assignment.
        var conflicted = await ContestPeople.AddJudgeAsync(host, "blind-2026", "judge.two@kestrel-labs.example", [zebra, kestrel]);
        Assert.Equal([zebra], conflicted["sees"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal([kestrel], conflicted["excluded"]!.AsArray().Select(t => t!.GetValue<string>()));
        await ProblemAssert.IsProblemAsync(await ContestScenario.Organiser(host).PostAsJsonAsync("/v1/contests/blind-2026/judges", new { email = "nobody@nowhere.example" }),
            HttpStatusCode.NotFound, "contest.person_not_found");
        await ProblemAssert.IsProblemAsync(await ContestScenario.Organiser(host).PostAsJsonAsync("/v1/contests/blind-2026/judges", new { email = "judge.one@panel.example", teams = new[] { "team_nope" } }),
            HttpStatusCode.BadRequest, "request.validation");

        // Before the submission deadline the entries may still change: not open.
        var texts = new List<string>();
        var early = await outsider.GetAsync("/v1/contests/blind-2026/entries");
        texts.Add(await early.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(early, HttpStatusCode.Conflict, "contest.judging_not_open");

        scenario.At(ContestScenario.SubmissionEndsAt);
        outsider = await FreshAsync(host, "panel-experts", "judge.one@panel.example", outsider);
        sameTenant = await FreshAsync(host, KestrelTenant, "judge.two@kestrel-labs.example", sameTenant);
        // A person of another tenant whose e-mail is one of Zebra's members; and a person on no panel.
        var member = await ContestPeople.PersonAsync(host, "campus-judges", ZebraMember);
        await ContestPeople.AddJudgeAsync(host, "blind-2026", ZebraMember);
        var stranger = await ContestPeople.PersonAsync(host, "campus-visitors", "stranger@campus.example");

        async Task<JsonNode> Read(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
        {
            var text = await response.Content.ReadAsStringAsync();
            texts.Add(text);
            texts.AddRange(response.Content.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
            Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            return JsonNode.Parse(text)!;
        }

        var listed = await Read(await outsider.GetAsync("/v1/contests/blind-2026/entries"));
        var items = listed["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal(4, listed["rubric"]!.AsArray().Count);
        var zebraEntry = items.Single(e => e!["title"]!.GetValue<string>() == "公交到站提醒")!;
        var kestrelEntry = items.Single(e => e!["title"]!.GetValue<string>() == "热线夜间地图")!;
        var (zebraCode, kestrelCode) = (zebraEntry["entry"]!.GetValue<string>(), kestrelEntry["entry"]!.GetValue<string>());
        Assert.NotEqual(zebraCode, kestrelCode);
        Assert.Null(zebraEntry["myScore"]);
        Assert.Equal($"entry-{zebraCode}.pdf", zebraEntry["attachment"]!["fileName"]!.GetValue<string>());
        Assert.Null(kestrelEntry["attachment"]);
        // The listing is the same on a second read (codes are stable).
        Assert.Equal(listed.ToJsonString(), (await Read(await outsider.GetAsync("/v1/contests/blind-2026/entries"))).ToJsonString());

        var download = await outsider.GetAsync(zebraEntry["attachment"]!["href"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        var disposition = download.Content.Headers.ContentDisposition!;
        Assert.Equal($"entry-{zebraCode}.pdf", disposition.FileNameStar ?? disposition.FileName?.Trim('"'));
        texts.Add(disposition.ToString());
        await ProblemAssert.IsProblemAsync(await outsider.GetAsync($"/v1/contests/blind-2026/entries/{kestrelCode}/attachment"), HttpStatusCode.NotFound, "contest.attachment_not_found");

        // Scores, then scoring again replaces the scorecard; bad scorecards say what to fix.
        var first = await Read(await outsider.PostAsJsonAsync("/v1/contests/blind-2026/scores", ContestPeople.Scorecard(zebraCode, "清楚实用",
            ("innovation", 8), ("public value", 6), ("use of data", 9), ("execution", 5))), HttpStatusCode.Created);
        Assert.Equal(70.0, first["total"]!.GetValue<double>());
        var again = await Read(await outsider.PostAsJsonAsync("/v1/contests/blind-2026/scores", ContestPeople.Scorecard(zebraCode, "复核后上调",
            ("Innovation", 10), ("public value", 10), ("use of data", 10), ("execution", 10))));
        Assert.Equal(100.0, again["total"]!.GetValue<double>());
        Assert.Equal("innovation", again["scores"]![0]!["criterion"]!.GetValue<string>());
        var bad = await Read(await outsider.PostAsJsonAsync("/v1/contests/blind-2026/scores", ContestPeople.Scorecard(kestrelCode, "",
            ("innovation", 11), ("public value", 6), ("taste", 3))), HttpStatusCode.BadRequest);
        Assert.Equal("request.validation", bad["code"]!.GetValue<string>());
        Assert.Equal(["comment", "scores"], bad["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        var complaints = string.Join(" ", bad["errors"]!["scores"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Contains("'taste' is not a criterion", complaints, StringComparison.Ordinal);
        Assert.Contains("'innovation' is scored from 0 to 10; not 11", complaints, StringComparison.Ordinal);
        Assert.Contains("score 'use of data' too", complaints, StringComparison.Ordinal);
        var unknown = await Read(await outsider.PostAsJsonAsync("/v1/contests/blind-2026/scores", ContestPeople.Scorecard("e-nope", "x", ("innovation", 1))), HttpStatusCode.NotFound);
        Assert.Equal("contest.entry_not_found", unknown["code"]!.GetValue<string>());
        var mine = await Read(await outsider.GetAsync("/v1/contests/blind-2026/entries"));
        Assert.Equal(100.0, mine["items"]!.AsArray().Single(e => e!["entry"]!.GetValue<string>() == zebraCode)!["myScore"]!["total"]!.GetValue<double>());

        // GraphQL: the same blind entries and the same scoring.
        var graph = await GraphQLCalls.PostAsync(outsider, """{ contest(id: "blind-2026") { entries { entry title description url attachment { fileName href } myScore { total comment } } } }""");
        texts.Add(graph.Text);
        Assert.Equal(2, graph.Ok()["contest"]!["entries"]!.AsArray().Count);
        var scored = await GraphQLCalls.PostAsync(outsider, $$"""mutation { scoreEntry(contestId: "blind-2026", entry: "{{kestrelCode}}", scores: [{criterion: "innovation", score: 5}, {criterion: "public value", score: 5}, {criterion: "use of data", score: 5}, {criterion: "execution", score: 5}], comment: "中规中矩") { entry total } }""");
        texts.Add(scored.Text);
        Assert.Equal(50.0, scored.Ok()["scoreEntry"]!["total"]!.GetValue<double>());
        var graphRefused = await GraphQLCalls.PostAsync(sameTenant, $$"""mutation { scoreEntry(contestId: "blind-2026", entry: "{{kestrelCode}}", scores: [{criterion: "innovation", score: 5}], comment: "x") { total } }""");
        texts.Add(graphRefused.Text);
        graphRefused.Error("contest.entry_not_found");

        // The judge of Kestrel's tenant sees Zebra's entry only; Kestrel's is not found to them, to read or to score.
        var theirs = (await Read(await sameTenant.GetAsync("/v1/contests/blind-2026/entries")))["items"]!.AsArray();
        Assert.Equal([zebraCode], theirs.Select(e => e!["entry"]!.GetValue<string>()));
        Assert.Equal("contest.entry_not_found", (await Read(await sameTenant.PostAsJsonAsync("/v1/contests/blind-2026/scores",
            ContestPeople.Scorecard(kestrelCode, "自家的", ("innovation", 10), ("public value", 10), ("use of data", 10), ("execution", 10))), HttpStatusCode.NotFound))["code"]!.GetValue<string>());
        Assert.Equal("contest.entry_not_found", (await Read(await sameTenant.GetAsync($"/v1/contests/blind-2026/entries/{kestrelCode}/attachment"), HttpStatusCode.NotFound))["code"]!.GetValue<string>());

        // A judge whose e-mail is one of Zebra's members (in another tenant) never sees Zebra's entry.
        var memberEntries = (await Read(await member.GetAsync("/v1/contests/blind-2026/entries")))["items"]!.AsArray();
        Assert.Equal([kestrelCode], memberEntries.Select(e => e!["entry"]!.GetValue<string>()));

        // People who are no judge, and apps, are refused; the refusals give nothing away either.
        Assert.Equal("contest.not_a_judge", (await Read(await stranger.GetAsync("/v1/contests/blind-2026/entries"), HttpStatusCode.Forbidden))["code"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await host.As("panel-experts", "catalogue:read").GetAsync("/v1/contests/blind-2026/entries"), HttpStatusCode.Forbidden, "contest.not_a_judge");
        await ProblemAssert.IsProblemAsync(await ContestScenario.Organiser(host).PostAsJsonAsync("/v1/contests/blind-2026/scores",
            ContestPeople.Scorecard(zebraCode, "x", ("innovation", 1))), HttpStatusCode.Forbidden, "contest.not_a_judge");

        var leaks = (from text in texts from secret in secrets where text.Contains(secret, StringComparison.OrdinalIgnoreCase) select $"{secret} in {text}").ToList();
        Assert.True(leaks.Count == 0, "a judge's answers name a team:\n" + string.Join("\n", leaks));
        Assert.True(texts.Count > 20);

        // The trail keeps both scorecards of the rescoring, naming the entry by its code and never the team.
        var trail = (await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/audit?type=contest.scored")))["items"]!.AsArray();
        var rescored = trail.Single(e => e!["subject"]!.GetValue<string>() == zebraCode && e["details"]!["before"] is JsonObject)!;
        Assert.Equal(70.0, rescored["details"]!["before"]!["total"]!.GetValue<double>());
        Assert.Equal(100.0, rescored["details"]!["after"]!["total"]!.GetValue<double>());
        Assert.Equal("复核后上调", rescored["details"]!["after"]!["comment"]!.GetValue<string>());
        Assert.DoesNotContain(trail, e => secrets.Any(s => e!.ToJsonString().Contains(s, StringComparison.Ordinal)));

        // The organiser sees who is behind each code, and the panel.
        var judges = (await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/contests/blind-2026/judges")))["items"]!.AsArray();
        Assert.Equal(3, judges.Count);
        Assert.Equal(2, judges.Single(j => j!["email"]!.GetValue<string>() == "judge.one@panel.example")!["scored"]!.GetValue<int>());
        var memberJudge = judges.Single(j => j!["email"]!.GetValue<string>() == ZebraMember)!;
        Assert.Equal([zebra], memberJudge["excluded"]!.AsArray().Select(t => t!.GetValue<string>()));
        var standings = (await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/contests/blind-2026/standings")))["items"]!.AsArray();
        Assert.Equal(zebraCode, standings.Single(s => s!["teamId"]!.GetValue<string>() == zebra)!["entry"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Scores_add_up_to_the_weighted_mean_and_five_judges_have_the_extremes_dropped(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        // Idea weighs three times data; data is scored out of 5.
        await ContestScenario.CreateAsync(host, "sums-2026", new { rubric = new[] { new { name = "idea", weight = 3.0, max = 10.0 }, new { name = "data", weight = 1.0, max = 5.0 } } });
        scenario.At(ContestScenario.StartsAt);
        var alpha = await ContestPeople.EntryAsync(host, "sums-2026", "sums-alpha", "Alpha", "a@alpha.example", "甲应用");
        var beta = await ContestPeople.EntryAsync(host, "sums-2026", "sums-beta", "Beta", "b@beta.example", "乙应用");
        var gamma = await ContestPeople.EntryAsync(host, "sums-2026", "sums-gamma", "Gamma", "c@gamma.example", "丙应用");
        await ContestPeople.EntryAsync(host, "sums-2026", "sums-delta", "Delta", "d@delta.example", "丁应用");
        scenario.At(ContestScenario.SubmissionEndsAt.AddHours(1));
        var judges = new List<HttpClient>();
        for (var i = 1; i <= 5; i++)
        {
            judges.Add(await ContestPeople.PersonAsync(host, $"sums-panel-{i}", $"judge{i}@panel.example"));
            await ContestPeople.AddJudgeAsync(host, "sums-2026", $"judge{i}@panel.example");
        }
        var codes = (await PlatformHost.ReadJsonAsync(await judges[0].GetAsync("/v1/contests/sums-2026/entries")))["items"]!.AsArray()
            .ToDictionary(e => e!["title"]!.GetValue<string>(), e => e!["entry"]!.GetValue<string>());

        async Task<double> ScoreAsync(HttpClient judge, string title, double idea, double data) =>
            (await PlatformHost.ReadJsonAsync(await judge.PostAsJsonAsync("/v1/contests/sums-2026/scores",
                ContestPeople.Scorecard(codes[title], "评语", ("idea", idea), ("data", data))), HttpStatusCode.Created))["total"]!.GetValue<double>();

        // Alpha, two judges: (3·7/10 + 1·4/5) / 4 × 100 = 72.5 and (3·10/10 + 1·2/5) / 4 × 100 = 85; mean 78.75.
        Assert.Equal(72.5, await ScoreAsync(judges[0], "甲应用", 7, 4));
        Assert.Equal(85.0, await ScoreAsync(judges[1], "甲应用", 10, 2));
        // Gamma, one judge: (3·8.5/10 + 1·3/5) / 4 × 100 = 78.75, tied with Alpha.
        Assert.Equal(78.75, await ScoreAsync(judges[2], "丙应用", 8.5, 3));
        // Beta, five judges: 90, 80, 70, 60 and 10; the highest and lowest dropped, (80 + 70 + 60) / 3 = 70 (untrimmed it would be 62).
        double[] betaTotals = [await ScoreAsync(judges[0], "乙应用", 9, 4.5), await ScoreAsync(judges[1], "乙应用", 8, 4), await ScoreAsync(judges[2], "乙应用", 7, 3.5),
            await ScoreAsync(judges[3], "乙应用", 6, 3), await ScoreAsync(judges[4], "乙应用", 1, 0.5)];
        Assert.Equal([90.0, 80.0, 70.0, 60.0, 10.0], betaTotals);

        var standings = await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/contests/sums-2026/standings"));
        Assert.False(standings["published"]!.GetValue<bool>());
        var rows = standings["items"]!.AsArray();
        Assert.Equal(
            [(1, "Alpha", 78.75, 2, false), (1, "Gamma", 78.75, 1, false), (3, "Beta", 70.0, 5, true)],
            rows.Take(3).Select(r => (r!["rank"]!.GetValue<int>(), r["teamName"]!.GetValue<string>(), r["score"]!.GetValue<double>(), r["judges"]!.GetValue<int>(),
                r["trimmed"]!.GetValue<bool>())));
        Assert.Equal([alpha, gamma, beta], rows.Take(3).Select(r => r!["teamId"]!.GetValue<string>()));
        Assert.Equal([90.0, 80.0, 70.0, 60.0, 10.0], rows[2]!["totals"]!.AsArray().Select(t => t!["total"]!.GetValue<double>()));
        // Delta, unscored: listed last, without rank or score.
        Assert.Equal("Delta", rows[3]!["teamName"]!.GetValue<string>());
        Assert.Null(rows[3]!["rank"]);
        Assert.Null(rows[3]!["score"]);
        Assert.Equal(0, rows[3]!["judges"]!.GetValue<int>());

        // A judge taken off the panel takes their scorecards along: Beta has four judges left, untrimmed (80 + 70 + 60 + 10) / 4 = 55.
        var judge1 = (await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/contests/sums-2026/judges")))["items"]!.AsArray()
            .Single(j => j!["email"]!.GetValue<string>() == "judge1@panel.example")!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await ContestScenario.Organiser(host).DeleteAsync($"/v1/contests/sums-2026/judges/{judge1}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await ContestScenario.Organiser(host).DeleteAsync($"/v1/contests/sums-2026/judges/{judge1}"), HttpStatusCode.NotFound, "contest.judge_not_found");
        var after = (await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/contests/sums-2026/standings")))["items"]!.AsArray();
        var betaAfter = after.Single(r => r!["teamId"]!.GetValue<string>() == beta)!;
        Assert.Equal((55.0, 4, false), (betaAfter["score"]!.GetValue<double>(), betaAfter["judges"]!.GetValue<int>(), betaAfter["trimmed"]!.GetValue<bool>()));
        await ProblemAssert.IsProblemAsync(await judges[0].GetAsync("/v1/contests/sums-2026/entries"), HttpStatusCode.Forbidden, "contest.not_a_judge");
        var removed = await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/audit?type=contest.judge_removed"));
        Assert.Contains(removed["items"]!.AsArray(), e => e!["details"]!["judge"]!.GetValue<string>() == judge1 && e["details"]!["scorecardsDropped"]!.GetValue<int>() == 2);
    }

    private static async Task<HttpClient> FreshAsync(PlatformHost host, string tenant, string email, HttpClient old)
    {
        old.Dispose();
        var op = host.As("platform", "platform:admin", "tenant:admin");
        var app = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{tenant}/apps",
            new { name = "评审助手二", scopes = new[] { "catalogue:read" }, redirectUris = new[] { Auth.OAuthFlows.Redirect } }), HttpStatusCode.Created);
        return await ContestPeople.TokenAsync(host, app["clientId"]!.GetValue<string>(), app["clientSecret"]!.GetValue<string>(), email);
    }
}
