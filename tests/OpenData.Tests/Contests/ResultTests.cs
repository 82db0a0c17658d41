using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Sandbox.Promotion;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contests;

/// <summary>
/// Results (issue 17) over HTTP on a test clock: scoring and publication wait for the submission deadline; the organiser publishes
/// once, and only then are the leaderboard and the showcase public, and each team's tenant told; a winning team takes its app live
/// with drafts flagged to the owners as a contest winner's, and the showcase follows the live app's requests and grants.
/// </summary>
public sealed class ResultTests
{
    private static object Even(string entry, double each) =>
        ContestPeople.Scorecard(entry, "评语", ("innovation", each), ("public value", each), ("use of data", each), ("execution", each));

    [DatabaseTheory, OnEachDatabase]
    public async Task Results_are_published_once_after_the_deadline_and_only_then_is_the_leaderboard_public(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "results-2026");
        scenario.At(ContestScenario.StartsAt);
        foreach (var tenant in new[] { "res-north", "res-south" })
        {
            await PlatformHost.ReadJsonAsync(await ContestScenario.Team(host, tenant).PostAsJsonAsync("/v1/webhooks", new { url = "https://hooks.example.org/" + tenant }),
                HttpStatusCode.Created);
        }
        var north = await ContestPeople.EntryAsync(host, "results-2026", "res-north", "北岸队", "n@north.example", "潮汐预报");
        var south = await ContestPeople.EntryAsync(host, "results-2026", "res-south", "南岸队", "s@south.example", "渡口排队");
        var judge = await ContestPeople.PersonAsync(host, "res-panel", "judge@res-panel.example");
        await ContestPeople.AddJudgeAsync(host, "results-2026", "judge@res-panel.example");
        var organiser = ContestScenario.Organiser(host);
        var anonymous = host.Anonymous();

        // Before the deadline: no scoring, no publication, no leaderboard or showcase (REST and GraphQL).
        await ProblemAssert.IsProblemAsync(await judge.PostAsJsonAsync("/v1/contests/results-2026/scores", Even("anything", 5)), HttpStatusCode.Conflict, "contest.judging_not_open");
        await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/v1/contests/results-2026/results", new { }), HttpStatusCode.Conflict, "contest.judging_not_open");
        var hidden = await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/v1/contests/results-2026/leaderboard"), HttpStatusCode.Conflict, "contest.results_not_published");
        Assert.Contains("registration phase", hidden["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/v1/contests/results-2026/showcase"), HttpStatusCode.Conflict, "contest.results_not_published");
        (await GraphQLCalls.PostAsync(anonymous, """{ contest(id: "results-2026") { leaderboard { rank } } }""")).Error("contest.results_not_published");

        scenario.At(ContestScenario.SubmissionEndsAt);
        var (judgeApp, judgeSecret) = await CodeFlowAppAsync(host, "res-panel");
        judge = await ContestPeople.TokenAsync(host, judgeApp, judgeSecret, "judge@res-panel.example");
        var codes = (await PlatformHost.ReadJsonAsync(await judge.GetAsync("/v1/contests/results-2026/entries")))["items"]!.AsArray()
            .ToDictionary(e => e!["title"]!.GetValue<string>(), e => e!["entry"]!.GetValue<string>());
        await PlatformHost.ReadJsonAsync(await judge.PostAsJsonAsync("/v1/contests/results-2026/scores", Even(codes["潮汐预报"], 6)), HttpStatusCode.Created);
        await PlatformHost.ReadJsonAsync(await judge.PostAsJsonAsync("/v1/contests/results-2026/scores", Even(codes["渡口排队"], 9)), HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/v1/contests/results-2026/leaderboard"), HttpStatusCode.Conflict, "contest.results_not_published");

        // Awards the organiser names: checked, then published.
        var refused = await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/v1/contests/results-2026/results",
            new { awards = new[] { new { teamId = "team_nope", award = "金奖" }, new { teamId = north, award = "" } } }), HttpStatusCode.BadRequest, "request.validation");
        Assert.Equal(2, refused["errors"]!["awards"]!.AsArray().Count);
        var published = await PlatformHost.ReadJsonAsync(await organiser.PostAsJsonAsync("/v1/contests/results-2026/results",
            new { awards = new[] { new { teamId = south, award = "金奖" }, new { teamId = north, award = "最佳数据应用奖" } } }), HttpStatusCode.Created);
        Assert.Equal(
            [(1, "南岸队", 90.0, "金奖", "渡口排队"), (2, "北岸队", 60.0, "最佳数据应用奖", "潮汐预报")],
            published["items"]!.AsArray().Select(i => (i!["rank"]!.GetValue<int>(), i["teamName"]!.GetValue<string>(), i["score"]!.GetValue<double>(),
                i["award"]!.GetValue<string>(), i["appTitle"]!.GetValue<string>())));

        // Now public, to anyone, in REST and GraphQL; the contest is in its results phase; it all happens once.
        var board = await PlatformHost.ReadJsonAsync(await anonymous.GetAsync("/v1/contests/results-2026/leaderboard"));
        Assert.Equal(published.ToJsonString(), board.ToJsonString());
        Assert.Equal("https://demo.example.org/渡口排队", board["items"]![0]!["demoUrl"]!.GetValue<string>());
        Assert.DoesNotContain("res-south", board.ToJsonString(), StringComparison.Ordinal);
        var graph = (await GraphQLCalls.PostAsync(anonymous, """{ contest(id: "results-2026") { phase leaderboard { rank teamName award } } }""")).Ok();
        Assert.Equal("results", graph["contest"]!["phase"]!.GetValue<string>());
        Assert.Equal(["南岸队", "北岸队"], graph["contest"]!["leaderboard"]!.AsArray().Select(l => l!["teamName"]!.GetValue<string>()));
        await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/v1/contests/results-2026/results", new { }), HttpStatusCode.Conflict, "contest.results_final");
        await ProblemAssert.IsProblemAsync(await judge.PostAsJsonAsync("/v1/contests/results-2026/scores", Even(codes["潮汐预报"], 10)), HttpStatusCode.Conflict, "contest.results_final");
        await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/v1/contests/results-2026/judges", new { email = "judge@res-panel.example" }),
            HttpStatusCode.Conflict, "contest.results_final");
        var standings = await PlatformHost.ReadJsonAsync(await organiser.GetAsync("/v1/contests/results-2026/standings"));
        Assert.True(standings["published"]!.GetValue<bool>());
        Assert.Equal(["金奖", "最佳数据应用奖"], standings["items"]!.AsArray().Select(s => s!["award"]!.GetValue<string>()));

        // Each team's tenant was told, with its own place; the publication is in the trail.
        foreach (var (tenant, award) in new[] { ("res-north", "最佳数据应用奖"), ("res-south", "金奖") })
        {
            var payload = (string)(await host.QueryScalarAsync(
                $"SELECT payload FROM webhook_deliveries WHERE tenant_id = '{tenant}' AND event = 'contest.results_published'"))!;
            Assert.Contains(award, JsonNode.Parse(payload)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
                StringComparison.Ordinal);
        }
        var trail = await PlatformHost.ReadJsonAsync(await organiser.GetAsync("/v1/audit?type=contest.results_published"));
        Assert.Equal(2, Assert.Single(trail["items"]!.AsArray())!["details"]!["results"]!.AsArray().Count);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_winner_takes_its_app_live_with_drafts_flagged_as_a_contest_winners_and_the_showcase_follows_its_landing(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "landing-2026");
        scenario.At(ContestScenario.StartsAt);
        var winnerTeam = await ContestScenario.RegisterAsync(host, "landing-2026", "land-win", "落地队", "w@win.example");
        var winner = winnerTeam["team"]!["id"]!.GetValue<string>();
        var sandboxClientId = winnerTeam["credentials"]!["clientId"]!.GetValue<string>();
        await SubmitAsync(host, "landing-2026", "land-win", winner, "热线回访助手");
        var runner = await ContestPeople.EntryAsync(host, "landing-2026", "land-run", "亚军队", "r@run.example", "空气播报");
        var idle = await ContestPeople.EntryAsync(host, "landing-2026", "land-idle", "陪跑队", "i@idle.example", "未评应用");
        // What the winner's sandbox app read during the contest (the twins' read path reports it so): two restricted columns, open data.
        var recorder = host.Required<IEnumerable<IRecordReadObserver>>().OfType<SandboxReadRecorder>().Single();
        await recorder.OnReadAsync(SandboxCaller("land-win", sandboxClientId), new ReadReport(AccessScenarios.Restricted, 1, ["district", "ticketNo"], 40, "q", false, []),
            CancellationToken.None);
        await recorder.OnReadAsync(SandboxCaller("land-win", sandboxClientId), new ReadReport("ningbo-air-quality-daily", 1, ["aqi"], 40, "q", false, []),
            CancellationToken.None);
        var team = ContestScenario.Team(host, "land-win");

        scenario.At(ContestScenario.SubmissionEndsAt);
        var judge = await ContestPeople.PersonAsync(host, "land-panel", "judge@land-panel.example");
        await ContestPeople.AddJudgeAsync(host, "landing-2026", "judge@land-panel.example");
        var codes = (await PlatformHost.ReadJsonAsync(await judge.GetAsync("/v1/contests/landing-2026/entries")))["items"]!.AsArray()
            .ToDictionary(e => e!["title"]!.GetValue<string>(), e => e!["entry"]!.GetValue<string>());
        await PlatformHost.ReadJsonAsync(await judge.PostAsJsonAsync("/v1/contests/landing-2026/scores", Even(codes["热线回访助手"], 9)), HttpStatusCode.Created);
        await PlatformHost.ReadJsonAsync(await judge.PostAsJsonAsync("/v1/contests/landing-2026/scores", Even(codes["空气播报"], 7)), HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await team.PostAsync($"/v1/contests/landing-2026/teams/{winner}/promote", null), HttpStatusCode.Conflict, "contest.results_not_published");

        // Default awards: first and second prize to the two ranked entries; the unscored one has none.
        var board = await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).PostAsync("/v1/contests/landing-2026/results", null), HttpStatusCode.Created);
        Assert.Equal([(1, "first prize"), (2, "second prize"), (0, "")],
            board["items"]!.AsArray().Select(i => (i!["rank"]?.GetValue<int>() ?? 0, i["award"]?.GetValue<string>() ?? "")));
        await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "land-idle").PostAsync($"/v1/contests/landing-2026/teams/{idle}/promote", null),
            HttpStatusCode.Conflict, "contest.no_award");
        await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "land-run").PostAsync($"/v1/contests/landing-2026/teams/{winner}/promote", null),
            HttpStatusCode.NotFound, "contest.team_not_found");

        // Before it goes live the showcase shows the winners, their apps and datasets, and that nothing landed yet.
        var showcase = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/contests/landing-2026/showcase"));
        var winners = showcase["winners"]!.AsArray();
        Assert.Equal(["落地队", "亚军队"], winners.Select(w => w!["teamName"]!.GetValue<string>()));
        Assert.False(winners[0]!["landing"]!["live"]!.GetValue<bool>());
        Assert.Equal([AccessScenarios.Restricted, "ningbo-air-quality-daily"], winners[0]!["datasets"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        Assert.All(winners[0]!["datasets"]!.AsArray(), d => Assert.False(string.IsNullOrEmpty(d!["title"]?.GetValue<string>())));

        // Take it live: a live app, and one draft — for the restricted dataset's columns the sandbox app read — flagged as a contest winner's.
        var promoted = await PlatformHost.ReadJsonAsync(await team.PostAsync($"/v1/contests/landing-2026/teams/{winner}/promote", null), HttpStatusCode.Created);
        Assert.Equal("first prize", promoted["award"]!.GetValue<string>());
        var app = promoted["app"]!;
        Assert.Equal("live", app["environment"]!.GetValue<string>());
        var (liveId, liveClientId, liveSecret) = (app["id"]!.GetValue<string>(), app["clientId"]!.GetValue<string>(), app["clientSecret"]!.GetValue<string>());
        Assert.DoesNotMatch("^sbx_", liveClientId);
        var draftRef = Assert.Single(promoted["drafts"]!.AsArray())!;
        Assert.Equal(AccessScenarios.Restricted, draftRef["datasetId"]!.GetValue<string>());
        var draftId = draftRef["id"]!.GetValue<string>();
        var draft = await PlatformHost.ReadJsonAsync(await team.GetAsync($"/v1/access-requests/{draftId}"));
        Assert.Equal("draft", draft["status"]!.GetValue<string>());
        Assert.Equal(liveClientId, draft["appId"]!.GetValue<string>());
        Assert.Contains("Contest winner: first prize", draft["purpose"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("landing-2026", draft["purpose"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((await PlatformHost.ReadJsonAsync(await team.GetAsync($"/v1/contests/landing-2026/teams/{winner}")))["liveAppId"]!.GetValue<string>(), liveId);
        await ProblemAssert.IsProblemAsync(await team.PostAsync($"/v1/contests/landing-2026/teams/{winner}/promote", null), HttpStatusCode.Conflict, "sandbox.already_promoted");

        // Submitted as prefilled, the owner reads that it is a contest winner's — in the purpose and in the history the team cannot edit.
        await PlatformHost.ReadJsonAsync(await team.PostAsync($"/v1/access-requests/{draftId}/submit", null));
        var owner = AccessScenarios.Reviewer(host, AccessScenarios.RestrictedOwner);
        var inbox = await PlatformHost.ReadJsonAsync(await owner.GetAsync($"/v1/access-requests/{draftId}"));
        Assert.Contains("Contest winner: first prize", inbox["purpose"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Contest winner: first prize", inbox["history"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["ticketNo", "district"], inbox["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        var showcased = (await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/contests/landing-2026/showcase")))["winners"]![0]!["landing"]!;
        Assert.True(showcased["live"]!.GetValue<bool>());
        Assert.Equal(0, showcased["requestsLastWeek"]!.GetValue<long>());
        Assert.Equal([(AccessScenarios.Restricted, "submitted")], showcased["access"]!.AsArray().Select(a => (a!["datasetId"]!.GetValue<string>(), a["status"]!.GetValue<string>())));
        await PlatformHost.ReadJsonAsync(await AccessScenarios.DecideAsync(owner, draftId, "approve"));

        // The live app is used: the showcase counts its requests this week, and shows its grant active.
        var live = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, liveClientId, liveSecret));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await live.GetAsync("/v1/datasets/ningbo-villages/records?limit=1")).StatusCode);
        }
        var landing = (await GraphQLCalls.PostAsync(host.Anonymous(),
            """{ contest(id: "landing-2026") { showcase { teamName award landing { live requestsLastWeek weeks { from to requests } access { datasetId status grantStatus } } } } }""")).Ok()
            ["contest"]!["showcase"]![0]!["landing"]!;
        Assert.Equal(3, landing["requestsLastWeek"]!.GetValue<long>());
        var weeks = landing["weeks"]!.AsArray();
        Assert.Equal(4, weeks.Count);
        Assert.Equal([0L, 0L, 0L, 3L], weeks.Select(w => w!["requests"]!.GetValue<long>()));
        Assert.Equal([(AccessScenarios.Restricted, "approved", "active")],
            landing["access"]!.AsArray().Select(a => (a!["datasetId"]!.GetValue<string>(), a["status"]!.GetValue<string>(), a["grantStatus"]!.GetValue<string>())));
        var trail = await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/audit?type=contest.winner_promoted"));
        Assert.Contains(trail["items"]!.AsArray(), e => e!["subject"]!.GetValue<string>() == winner && e["details"]!["liveApp"]!.GetValue<string>() == liveId);
    }

    private static ClaimsPrincipal SandboxCaller(string tenant, string clientId) => new(new ClaimsIdentity(
        [new Claim(PlatformClaims.Tenant, tenant), new Claim(PlatformClaims.ClientId, clientId), new Claim(PlatformClaims.Environment, "sandbox")], "test"));

    private static async Task SubmitAsync(PlatformHost host, string contest, string tenant, string teamId, string title) =>
        await PlatformHost.ReadJsonAsync(await ContestScenario.Team(host, tenant).PostAsJsonAsync($"/v1/contests/{contest}/submissions", new
        {
            teamId, title, description = title + "：回访热线来电人。", url = "https://demo.example.org/" + Uri.EscapeDataString(title),
            datasets = new[] { AccessScenarios.Restricted, "ningbo-air-quality-daily" },
        }), HttpStatusCode.Created);

    /// <summary>Another code-flow app of the tenant (for a fresh token once the clock moved).</summary>
    private static async Task<(string ClientId, string Secret)> CodeFlowAppAsync(PlatformHost host, string tenant)
    {
        var app = await PlatformHost.ReadJsonAsync(await host.As("platform", "platform:admin", "tenant:admin").PostAsJsonAsync($"/v1/tenants/{tenant}/apps",
            new { name = "评审助手二", scopes = new[] { "catalogue:read" }, redirectUris = new[] { OAuthFlows.Redirect } }), HttpStatusCode.Created);
        return (app["clientId"]!.GetValue<string>(), app["clientSecret"]!.GetValue<string>());
    }
}
