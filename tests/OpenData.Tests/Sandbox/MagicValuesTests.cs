using System.Net;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Sandbox;

/// <summary>
/// The sandbox's magic dataset ids (docs/sandbox.md, "Magic values"): for a sandbox token each answers as the live platform does in the
/// situation it stands for (compared here with the real thing); for a live token each is an unknown dataset.
/// </summary>
public sealed class MagicValuesTests
{
    private static HttpClient Sandbox(PlatformHost host) => host.AsIn("sandbox", "sbx-magic", "catalogue:read", "records:read");

    [DatabaseTheory, OnEachDatabase]
    public async Task Quota_exhausted_answers_as_a_spent_day_does(string db)
    {
        await using var host = await QuotaScenarios.StartAsync(db);
        // The real thing: a live tenant allowed one request a day, asking twice.
        await QuotaScenarios.CreateTenantAsync(host, "spent-day", "free", new { dailyRequests = 1 });
        var live = host.As("spent-day", "catalogue:read", "records:read");
        await live.GetAsync("/v1/datasets");
        var real = await live.GetAsync("/v1/datasets/ningbo-villages/records?limit=1");
        var realProblem = await ProblemAssert.IsProblemAsync(real, HttpStatusCode.TooManyRequests, "quota.daily_exceeded");

        foreach (var route in new[] { "records", "export" })
        {
            var magic = await Sandbox(host).GetAsync($"/v1/datasets/sandbox-quota-exhausted/{route}");
            var problem = await ProblemAssert.IsProblemAsync(magic, HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
            Assert.Equal(realProblem["title"]!.GetValue<string>(), problem["title"]!.GetValue<string>());
            Assert.Equal(realProblem["policy"]!.GetValue<string>(), problem["policy"]!.GetValue<string>());
            Assert.Equal("daily", problem["policy"]!.GetValue<string>());
            Assert.InRange(long.Parse(magic.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 86400);
            Assert.InRange(problem["retryAfter"]!.GetValue<long>(), realProblem["retryAfter"]!.GetValue<long>() - 5, realProblem["retryAfter"]!.GetValue<long>());
            Assert.Equal(QuotaScenarios.Fields(real, "RateLimit-Policy").Keys, QuotaScenarios.Fields(magic, "RateLimit-Policy").Keys);
            Assert.Equal("0", QuotaScenarios.Fields(magic, "RateLimit")["daily"]["r"]);
            Assert.Equal("0", QuotaScenarios.Fields(real, "RateLimit")["daily"]["r"]);
        }
        // The sandbox app's own day is untouched: a plain read still goes through.
        Assert.Equal(HttpStatusCode.OK, (await Sandbox(host).GetAsync("/v1/datasets")).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Rate_limited_answers_as_a_spent_burst_does(string db)
    {
        await using var host = await QuotaScenarios.StartAsync(db);
        var magic = await Sandbox(host).GetAsync("/v1/datasets/sandbox-rate-limited/records");
        var problem = await ProblemAssert.IsProblemAsync(magic, HttpStatusCode.TooManyRequests, "rate.exceeded");
        Assert.Equal("burst", problem["policy"]!.GetValue<string>());
        Assert.NotNull(magic.Headers.RetryAfter);
        Assert.Equal("0", QuotaScenarios.Fields(magic, "RateLimit")["burst"]["r"]);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Grant_revoked_answers_as_a_read_without_a_grant_does(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        // The real thing: a live read of restricted rows with no grant (as after a revocation).
        var real = await ProblemAssert.IsProblemAsync(await Consumer(host, "no-grant").GetAsync($"/v1/datasets/{Restricted}/records"), HttpStatusCode.Forbidden, "access.grant_required");
        foreach (var route in new[] { "records", "export" })
        {
            var magic = await ProblemAssert.IsProblemAsync(await Sandbox(host).GetAsync($"/v1/datasets/sandbox-grant-revoked/{route}"), HttpStatusCode.Forbidden, "access.grant_required");
            Assert.Equal(real["title"]!.GetValue<string>(), magic["title"]!.GetValue<string>());
            Assert.Equal(real["detail"]!.GetValue<string>().Replace(Restricted, "sandbox-grant-revoked", StringComparison.Ordinal), magic["detail"]!.GetValue<string>());
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Live_tokens_never_see_magic_values(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var live = host.As("live-magic", "catalogue:read", "records:read");
        foreach (var id in new[] { "sandbox-quota-exhausted", "sandbox-rate-limited", "sandbox-grant-revoked" })
        {
            await ProblemAssert.IsProblemAsync(await live.GetAsync($"/v1/datasets/{id}/records"), HttpStatusCode.NotFound, "dataset.not_found");
            await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync($"/v1/datasets/{id}/export"), HttpStatusCode.NotFound, "dataset.not_found");
        }
    }
}
