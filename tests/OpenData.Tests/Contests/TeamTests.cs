using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contests;

/// <summary>
/// Registration and teams (issue 17) over HTTP on a test clock: registration open and closed, the terms, the size limit, one team
/// per person, invite-only domains, manual approval with its webhook, and sandbox credentials bound to the contest plan that read
/// the contest's datasets and nothing else.
/// </summary>
public sealed class TeamTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task Registration_is_open_from_the_start_until_its_deadline_and_teams_change_only_meanwhile(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "window-2026");
        var team = ContestScenario.Team(host, "window-team");
        var early = await ProblemAssert.IsProblemAsync(await team.PostAsJsonAsync("/v1/contests/window-2026/teams", new { name = "早鸟", members = new[] { "a@example.org" }, acceptTerms = true }),
            HttpStatusCode.Conflict, "contest.registration_closed");
        Assert.Contains("opens at", early["detail"]!.GetValue<string>());

        scenario.At(ContestScenario.StartsAt);
        var registered = await ContestScenario.RegisterAsync(host, "window-2026", "window-team", "早鸟", "a@example.org");
        var teamId = registered["team"]!["id"]!.GetValue<string>();
        Assert.Equal("approved", registered["team"]!["status"]!.GetValue<string>());
        Assert.Equal(1, registered["team"]!["termsVersion"]!.GetValue<int>());
        var renamed = await PlatformHost.ReadJsonAsync(await team.PatchAsJsonAsync($"/v1/contests/window-2026/teams/{teamId}", new { name = "早鸟队", members = new[] { "a@example.org", "b@example.org" } }));
        Assert.Equal("早鸟队", renamed["name"]!.GetValue<string>());
        Assert.Equal(["a@example.org", "b@example.org"], renamed["members"]!.AsArray().Select(m => m!.GetValue<string>()));

        scenario.At(ContestScenario.RegistrationEndsAt);
        var late = await ProblemAssert.IsProblemAsync(await team.PostAsJsonAsync("/v1/contests/window-2026/teams", new { name = "迟到", members = new[] { "c@example.org" }, acceptTerms = true }),
            HttpStatusCode.Conflict, "contest.registration_closed");
        Assert.Contains("closed at", late["detail"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await team.PatchAsJsonAsync($"/v1/contests/window-2026/teams/{teamId}", new { name = "改名" }),
            HttpStatusCode.Conflict, "contest.registration_closed");
        // Another tenant cannot see or change the team.
        await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "window-other").GetAsync($"/v1/contests/window-2026/teams/{teamId}"),
            HttpStatusCode.NotFound, "contest.team_not_found");
        var audit = await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/audit?type=contest.team_registered"));
        Assert.Contains(audit["items"]!.AsArray(), e => e!["subject"]?.GetValue<string>() == teamId && e["details"]!["termsVersion"]!.GetValue<int>() == 1);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Terms_size_one_team_per_person_names_and_who_may_register_are_enforced(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "rules-2026", new { teamSizeLimit = 3 });
        scenario.At(ContestScenario.StartsAt.AddHours(1));
        var team = ContestScenario.Team(host, "rules-team");
        await ProblemAssert.IsProblemAsync(await team.PostAsJsonAsync("/v1/contests/rules-2026/teams", new { name = "甲", members = new[] { "a@example.org" }, acceptTerms = false }),
            HttpStatusCode.BadRequest, "contest.terms_not_accepted");
        var tooMany = await ProblemAssert.IsProblemAsync(await team.PostAsJsonAsync("/v1/contests/rules-2026/teams", new
        {
            name = "甲", members = new[] { "a@example.org", "b@example.org", "c@example.org", "d@example.org" }, acceptTerms = true,
        }), HttpStatusCode.BadRequest, "contest.team_too_large");
        Assert.Contains("at most 3", tooMany["detail"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await team.PostAsJsonAsync("/v1/contests/rules-2026/teams", new { name = "甲", members = new[] { "not-an-address" }, acceptTerms = true }),
            HttpStatusCode.BadRequest, "request.validation");
        await ContestScenario.RegisterAsync(host, "rules-2026", "rules-team", "Data Divers", "a@example.org", "B@Example.org");
        await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "rules-other").PostAsJsonAsync("/v1/contests/rules-2026/teams",
            new { name = "  data   DIVERS ", members = new[] { "z@example.org" }, acceptTerms = true }), HttpStatusCode.Conflict, "contest.team_name_taken");
        var taken = await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "rules-other").PostAsJsonAsync("/v1/contests/rules-2026/teams",
            new { name = "乙", members = new[] { "b@example.org" }, acceptTerms = true }), HttpStatusCode.Conflict, "contest.member_taken");
        Assert.Contains("b@example.org", taken["detail"]!.GetValue<string>());
        // A change meets the same rules, and a refused change leaves the team as it was.
        var second = (await ContestScenario.RegisterAsync(host, "rules-2026", "rules-other", "乙", "e@example.org"))["team"]!["id"]!.GetValue<string>();
        var other = ContestScenario.Team(host, "rules-other");
        await ProblemAssert.IsProblemAsync(await other.PatchAsJsonAsync($"/v1/contests/rules-2026/teams/{second}", new { name = "DATA divers" }),
            HttpStatusCode.Conflict, "contest.team_name_taken");
        await ProblemAssert.IsProblemAsync(await other.PatchAsJsonAsync($"/v1/contests/rules-2026/teams/{second}", new { members = new[] { "e@example.org", "a@example.org" } }),
            HttpStatusCode.Conflict, "contest.member_taken");
        var unchanged = await PlatformHost.ReadJsonAsync(await other.GetAsync($"/v1/contests/rules-2026/teams/{second}"));
        Assert.Equal("乙", unchanged["name"]!.GetValue<string>());
        Assert.Equal(["e@example.org"], unchanged["members"]!.AsArray().Select(m => m!.GetValue<string>()));
        // A data owner does not compete; nor does a track the contest does not have pass.
        await ProblemAssert.IsProblemAsync(await host.As(AccessScenarios.RestrictedOwner, "tenant:admin").PostAsJsonAsync("/v1/contests/rules-2026/teams",
            new { name = "丙", members = new[] { "o@example.org" }, acceptTerms = true }), HttpStatusCode.Forbidden, "contest.consumers_only");
        await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "rules-third").PostAsJsonAsync("/v1/contests/rules-2026/teams",
            new { name = "丁", members = new[] { "t@example.org" }, track = "music", acceptTerms = true }), HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "rules-third").PostAsJsonAsync("/v1/contests/none-2026/teams",
            new { name = "丁", members = new[] { "t@example.org" }, acceptTerms = true }), HttpStatusCode.NotFound, "contest.not_found");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_invite_only_contest_refuses_members_outside_its_domains(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "campus-2026", new { visibility = "invite", allowedDomains = new[] { "nbu.edu.cn" } });
        scenario.At(ContestScenario.StartsAt);
        var refused = await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "campus-team").PostAsJsonAsync("/v1/contests/campus-2026/teams",
            new { name = "校队", members = new[] { "li@nbu.edu.cn", "wang@gmail.com" }, acceptTerms = true }), HttpStatusCode.Forbidden, "contest.not_invited");
        Assert.Contains("wang@gmail.com", refused["detail"]!.GetValue<string>());
        Assert.DoesNotContain("li@nbu.edu.cn", refused["detail"]!.GetValue<string>());
        // A look-alike domain is not the domain.
        await ProblemAssert.IsProblemAsync(await ContestScenario.Team(host, "campus-team").PostAsJsonAsync("/v1/contests/campus-2026/teams",
            new { name = "校队", members = new[] { "li@evil-nbu.edu.cn" }, acceptTerms = true }), HttpStatusCode.Forbidden, "contest.not_invited");
        await ContestScenario.RegisterAsync(host, "campus-2026", "campus-team", "校队", "li@nbu.edu.cn", "zhao@NBU.edu.cn");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Manual_approval_keeps_a_team_pending_until_the_organiser_decides_and_tells_its_tenant(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "manual-2026", new { approval = "manual" });
        scenario.At(ContestScenario.StartsAt);
        var team = ContestScenario.Team(host, "manual-team");
        await PlatformHost.ReadJsonAsync(await team.PostAsJsonAsync("/v1/webhooks", new { url = "https://hooks.example.org/contest" }), HttpStatusCode.Created);
        var registered = await ContestScenario.RegisterAsync(host, "manual-2026", "manual-team", "慢慢来", "m@example.org");
        var teamId = registered["team"]!["id"]!.GetValue<string>();
        Assert.Equal("pending", registered["team"]!["status"]!.GetValue<string>());
        Assert.Null(registered["credentials"]);
        await ProblemAssert.IsProblemAsync(await team.PostAsync($"/v1/contests/manual-2026/teams/{teamId}/credentials", null), HttpStatusCode.Conflict, "contest.team_not_approved");
        await ProblemAssert.IsProblemAsync(await team.PostAsJsonAsync($"/v1/contests/manual-2026/teams/{teamId}/decision", new { decision = "approve" }),
            HttpStatusCode.Forbidden, "auth.insufficient_scope");

        var organiser = ContestScenario.Organiser(host);
        var pending = await PlatformHost.ReadJsonAsync(await organiser.GetAsync("/v1/contests/manual-2026/teams"));
        Assert.Contains(pending["items"]!.AsArray(), t => t!["id"]!.GetValue<string>() == teamId && t["status"]!.GetValue<string>() == "pending");
        await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync($"/v1/contests/manual-2026/teams/{teamId}/decision", new { decision = "reject" }),
            HttpStatusCode.BadRequest, "request.validation");
        var approved = await PlatformHost.ReadJsonAsync(await organiser.PostAsJsonAsync($"/v1/contests/manual-2026/teams/{teamId}/decision",
            new { decision = "approve", reason = "材料齐全" }));
        Assert.Equal("approved", approved["status"]!.GetValue<string>());
        Assert.StartsWith("sbx_", approved["clientId"]!.GetValue<string>());
        Assert.DoesNotContain("clientSecret", approved.ToJsonString());
        await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync($"/v1/contests/manual-2026/teams/{teamId}/decision", new { decision = "reject", reason = "改主意" }),
            HttpStatusCode.Conflict, "contest.team_already_decided");

        var credentials = await PlatformHost.ReadJsonAsync(await team.PostAsync($"/v1/contests/manual-2026/teams/{teamId}/credentials", null));
        Assert.StartsWith("sbx_", credentials["clientSecret"]!.GetValue<string>());
        Assert.Equal("sandbox", credentials["environment"]!.GetValue<string>());
        Assert.Equal(1L, Convert.ToInt64(await host.QueryScalarAsync(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE tenant_id = 'manual-team' AND event = 'contest.registration_decided'"), System.Globalization.CultureInfo.InvariantCulture));
        var decided = await PlatformHost.ReadJsonAsync(await organiser.GetAsync("/v1/audit?type=contest.team_decided"));
        Assert.Contains(decided["items"]!.AsArray(), e => e!["subject"]?.GetValue<string>() == teamId && e["details"]!["reason"]!.GetValue<string>() == "材料齐全");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_teams_sandbox_credentials_are_on_the_contest_plan_and_read_the_contests_datasets_only(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "scope-2026");
        scenario.At(ContestScenario.StartsAt);
        var registered = await ContestScenario.RegisterAsync(host, "scope-2026", "scope-team", "边界", "s@example.org");
        var credentials = registered["credentials"]!;
        Assert.StartsWith("sbx_", credentials["clientId"]!.GetValue<string>());
        var sandbox = OAuthFlows.Bearer(host, await OAuthFlows.ClientTokenAsync(host, credentials["clientId"]!.GetValue<string>(), credentials["clientSecret"]!.GetValue<string>()));

        var me = await PlatformHost.ReadJsonAsync(await sandbox.GetAsync("/v1/me"));
        Assert.Equal("sandbox", me["environment"]!.GetValue<string>());
        Assert.Equal("contest", me["plan"]!.GetValue<string>());

        var outside = await ProblemAssert.IsProblemAsync(await sandbox.GetAsync($"/v1/datasets/{ContestScenario.OutOfScope}/records?limit=1"),
            HttpStatusCode.Forbidden, "records.outside_app_scope");
        Assert.Contains(ContestScenario.OutOfScope, outside["detail"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await sandbox.GetAsync($"/v1/datasets/{ContestScenario.OutOfScope}/export?format=csv"),
            HttpStatusCode.Forbidden, "records.outside_app_scope");
        var graph = await GraphQLCalls.PostAsync(sandbox, $"{{ dataset(id: \"{ContestScenario.OutOfScope}\") {{ records(first: 1) {{ items }} }} }}");
        Assert.Contains(graph.Errors, e => e!["extensions"]?["code"]?.GetValue<string>() == "records.outside_app_scope");

        // In scope: the twin is read (generated in the background; the worker's clock is the test's, so it is moved on meanwhile).
        var deadline = DateTime.UtcNow.AddSeconds(90);
        HttpResponseMessage inside;
        do
        {
            scenario.Clock.Advance(TimeSpan.FromSeconds(1));
            inside = await sandbox.GetAsync($"/v1/datasets/{AccessScenarios.Restricted}/records?limit=2");
            Assert.NotEqual(HttpStatusCode.Forbidden, inside.StatusCode);
            if (inside.StatusCode != HttpStatusCode.OK)
            {
                await Task.Delay(200);
            }
        }
        while (inside.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        Assert.True(inside.Headers.Contains("RateLimit-Policy"));
        // The team's usage counts under its own contest plan, not its tenant's allowance.
        var quota = await PlatformHost.ReadJsonAsync(await sandbox.GetAsync("/v1/quota"));
        Assert.Equal("contest", quota["plan"]!.GetValue<string>());
        var tenantQuota = await PlatformHost.ReadJsonAsync(await ContestScenario.Team(host, "scope-team").GetAsync("/v1/quota"));
        Assert.NotEqual("contest", tenantQuota["plan"]!.GetValue<string>());

        // The organiser changes the contest's datasets: the team's same token follows on its next request.
        await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).PatchAsJsonAsync("/v1/contests/scope-2026", new { datasets = new[] { ContestScenario.OutOfScope } }));
        await ProblemAssert.IsProblemAsync(await sandbox.GetAsync($"/v1/datasets/{AccessScenarios.Restricted}/records?limit=1"),
            HttpStatusCode.Forbidden, "records.outside_app_scope");
        Assert.NotEqual(HttpStatusCode.Forbidden, (await sandbox.GetAsync($"/v1/datasets/{ContestScenario.OutOfScope}/records?limit=1")).StatusCode);
    }
}
