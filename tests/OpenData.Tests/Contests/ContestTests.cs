using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contests;

/// <summary>
/// Contests themselves (issue 17): the organiser creates and edits one, everyone reads the public ones with their phase on the
/// platform's clock, an invite-only contest is reached by its link only, bad input names what to fix, every change is audited.
/// </summary>
public sealed class ContestTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task A_contest_moves_through_its_phases_on_the_platforms_clock(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        var created = await ContestScenario.CreateAsync(host, "phases-2026");
        Assert.Equal("upcoming", created["phase"]!.GetValue<string>());
        Assert.Equal(5, created["teamSizeLimit"]!.GetValue<int>());
        Assert.Equal("public", created["visibility"]!.GetValue<string>());
        Assert.Equal("auto", created["approval"]!.GetValue<string>());
        Assert.Equal(4, created["rubric"]!.AsArray().Count);
        Assert.Equal(1, created["termsVersion"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(created["rules"]!.GetValue<string>()));

        var anonymous = host.Anonymous();
        foreach (var (at, phase) in new[]
        {
            (ContestScenario.StartsAt, "registration"), (ContestScenario.RegistrationEndsAt.AddSeconds(-1), "registration"),
            (ContestScenario.RegistrationEndsAt, "build"), (ContestScenario.SubmissionEndsAt, "judging"), (ContestScenario.EndsAt.AddDays(5), "judging"),
        })
        {
            scenario.At(at);
            var read = await PlatformHost.ReadJsonAsync(await anonymous.GetAsync("/v1/contests/phases-2026"));
            Assert.Equal(phase, read["phase"]!.GetValue<string>());
        }
        var list = await PlatformHost.ReadJsonAsync(await anonymous.GetAsync("/v1/contests"));
        Assert.Contains(list["items"]!.AsArray(), c => c!["id"]!.GetValue<string>() == "phases-2026" && c["phase"]!.GetValue<string>() == "judging");

        var graph = (await GraphQLCalls.PostAsync(anonymous, "{ contests { id phase datasets rubric { name weight max } } contest(id: \"phases-2026\") { title titleEn submissionEndsAt } }")).Ok();
        Assert.Contains(graph["contests"]!.AsArray(), c => c!["id"]!.GetValue<string>() == "phases-2026" && c["phase"]!.GetValue<string>() == "judging");
        Assert.Equal("Ningbo open data innovation contest phases-2026", graph["contest"]!["titleEn"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_invite_only_contest_is_not_listed_but_answers_by_its_link(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "invite-2026", new { visibility = "invite", allowedDomains = new[] { "@NBU.edu.cn" } });
        var anonymous = host.Anonymous();
        var list = await PlatformHost.ReadJsonAsync(await anonymous.GetAsync("/v1/contests"));
        Assert.DoesNotContain(list["items"]!.AsArray(), c => c!["id"]!.GetValue<string>() == "invite-2026");
        var byLink = await PlatformHost.ReadJsonAsync(await anonymous.GetAsync("/v1/contests/invite-2026"));
        Assert.Equal(["nbu.edu.cn"], byLink["allowedDomains"]!.AsArray().Select(d => d!.GetValue<string>()));
        var operatorList = await PlatformHost.ReadJsonAsync(await ContestScenario.Organiser(host).GetAsync("/v1/contests"));
        Assert.Contains(operatorList["items"]!.AsArray(), c => c!["id"]!.GetValue<string>() == "invite-2026");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Bad_contests_are_refused_field_by_field(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var organiser = ContestScenario.Organiser(host);
        var problem = await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/v1/contests", new
        {
            id = "Bad Id", title = "", startsAt = "2026-06-10T00:00:00Z", endsAt = "2026-06-01T00:00:00Z", datasets = new[] { "no-such-dataset" },
            teamSizeLimit = 0, visibility = "secret", approval = "maybe", rubric = new[] { new { name = "x", weight = -1, max = 10 } },
        }), HttpStatusCode.BadRequest, "request.validation");
        var errors = problem["errors"]!.AsObject().Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "id", "title", "description", "datasets", "registrationEndsAt", "teamSizeLimit", "visibility", "approval", "rubric" }, errors);
        Assert.Contains("no-such-dataset", problem["detail"]!.GetValue<string>());

        await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/v1/contests", new
        {
            title = "t", description = "d", startsAt = "2026-06-01T00:00:00Z", endsAt = "2026-07-01T00:00:00Z", datasets = new[] { "ningbo-villages" }, visibility = "invite",
        }), HttpStatusCode.BadRequest, "request.validation");
        var body = new { id = "twice-2026", title = "t", description = "d", startsAt = "2026-06-01T00:00:00Z", endsAt = "2026-07-01T00:00:00Z", datasets = new[] { "ningbo-villages" } };
        await PlatformHost.ReadJsonAsync(await organiser.PostAsJsonAsync("/v1/contests", body), HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await organiser.PostAsJsonAsync("/v1/contests", body), HttpStatusCode.Conflict, "contest.exists");
        await ProblemAssert.IsProblemAsync(await host.As("some-consumer", "tenant:admin").PostAsJsonAsync("/v1/contests", body with { id = "nope-2026" }),
            HttpStatusCode.Forbidden, "auth.insufficient_scope");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Editing_changes_what_is_sent_raises_the_terms_version_on_new_rules_and_is_audited(string db)
    {
        var scenario = new ContestScenario();
        await using var host = await PlatformHost.StartAsync(db, clock: scenario.Clock);
        await ContestScenario.CreateAsync(host, "edit-2026");
        var organiser = ContestScenario.Organiser(host);
        var edited = await PlatformHost.ReadJsonAsync(await organiser.PatchAsJsonAsync("/v1/contests/edit-2026", new { teamSizeLimit = 3, rules = "新的规则：只在沙箱里用数据。" }));
        Assert.Equal(3, edited["teamSizeLimit"]!.GetValue<int>());
        Assert.Equal(2, edited["termsVersion"]!.GetValue<int>());
        Assert.Equal("upcoming", edited["phase"]!.GetValue<string>());
        Assert.Equal(2, edited["version"]!.GetValue<int>());
        var same = await PlatformHost.ReadJsonAsync(await organiser.PatchAsJsonAsync("/v1/contests/edit-2026", new { title = "改名" }));
        // Dates in any offset (China Standard Time here) are kept as the same instants.
        var moved = await PlatformHost.ReadJsonAsync(await organiser.PatchAsJsonAsync("/v1/contests/edit-2026", new
        {
            registrationEndsAt = "2026-06-08T08:00:00+08:00", submissionEndsAt = "2026-06-18T08:00:00+08:00", judgingEndsAt = "2026-06-25T08:00:00+08:00",
        }));
        Assert.Equal(new DateTimeOffset(2026, 6, 18, 0, 0, 0, TimeSpan.Zero), moved["submissionEndsAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2026, 6, 8, 0, 0, 0, TimeSpan.Zero), moved["registrationEndsAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(2, same["termsVersion"]!.GetValue<int>());

        await ProblemAssert.IsProblemAsync(await organiser.PatchAsJsonAsync("/v1/contests/edit-2026", new { submissionEndsAt = "2026-06-05T00:00:00Z" }),
            HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await organiser.PatchAsJsonAsync("/v1/contests/none-2026", new { title = "x" }), HttpStatusCode.NotFound, "contest.not_found");

        var audit = await PlatformHost.ReadJsonAsync(await organiser.GetAsync("/v1/audit?type=contest.updated"));
        var entries = audit["items"]!.AsArray().Where(e => e!["subject"]?.GetValue<string>() == "edit-2026").ToList();
        Assert.Equal(3, entries.Count);
        Assert.Contains(entries, e => e!.ToJsonString().Contains("\"rules\"", StringComparison.Ordinal) && e.ToJsonString().Contains("teamSizeLimit", StringComparison.Ordinal));
        var createdAudit = await PlatformHost.ReadJsonAsync(await organiser.GetAsync("/v1/audit?type=contest.created"));
        Assert.Contains(createdAudit["items"]!.AsArray(), e => e!["subject"]?.GetValue<string>() == "edit-2026");
    }
}
