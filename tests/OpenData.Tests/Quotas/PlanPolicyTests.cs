using OpenData.Platform.Hosting;
using OpenData.Platform.Policies;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Quotas;

/// <summary><c>policies/plans.yaml</c>: the shipped plans load; a wrong plans file stops the host naming file and line.</summary>
public sealed class PlanPolicyTests
{
    [Fact]
    public void The_shipped_plans_hold_every_plan_with_limits_or_unlimited()
    {
        var plans = PlatformPolicies.Load(TestPolicies.Shipped).Plans;
        Assert.Equal(["anonymous", "contest", "free", "operator", "partner"], plans.Plans.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["free", "contest", "partner", "operator"], plans.TenantPlans);
        Assert.Equal(5, plans.For("anonymous").RatePerSecond);
        Assert.Equal(20, plans.For("anonymous").Burst);
        Assert.Null(plans.For("operator").DailyRequests);
        Assert.All(plans.Plans.Where(p => p.Key != "operator"), p => Assert.NotNull(p.Value.DailyRows));
        // An unknown plan name counts as free; an override replaces one limit only.
        Assert.Equal(plans.For("free"), plans.For("no-such-plan"));
        var overridden = plans.For("free").With(new Dictionary<string, long> { ["dailyRequests"] = 7 });
        Assert.Equal(7, overridden.DailyRequests);
        Assert.Equal(plans.For("free").Burst, overridden.Burst);
    }

    [Theory]
    [InlineData("plans:\n  free: {ratePerSecond: 1, burst: 1, dailyRequests: 1, dailyRows: 1, exportRows: 1}\n", 1, "plans: 'anonymous' is missing")]
    [InlineData(Valid + "  extra: {ratePerSecond: 1, burst: 1, dailyRequests: lots, dailyRows: 1, exportRows: 1}\n", 7, "extra.dailyRequests (or unlimited) must be a whole number")]
    [InlineData(Valid + "  extra: {ratePerSecond: 1, burst: unlimited, dailyRequests: 1, dailyRows: 1, exportRows: 1}\n", 7, "ratePerSecond and burst are both numbers or both unlimited")]
    [InlineData(Valid + "  extra: {ratePerSecond: 1, burst: 1, dailyRequests: 1, dailyRows: 1}\n", 7, "'exportRows' is missing")]
    [InlineData(Valid + "  extra: {ratePerSecond: 1, burst: 1, dailyRequests: 1, dailyRows: 1, exportRows: 1, monthlyRows: 5}\n", 7, "unknown key 'monthlyRows'")]
    [InlineData(Valid + "  extra: {ratePerSecond: 0, burst: 1, dailyRequests: 1, dailyRows: 1, exportRows: 1}\n", 7, "ratePerSecond and burst are at least 1")]
    public void A_wrong_plans_file_names_file_line_and_problem(string plans, int line, string problem)
    {
        var folder = TestPolicies.Folder(plans: plans);
        var error = Assert.Throws<PolicyException>(() => PlatformPolicies.Load(folder));
        Assert.StartsWith($"plans.yaml:{line}:", Path.GetFileName(error.Message), StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    private const string Valid = """
        plans:
          anonymous: {ratePerSecond: 1, burst: 1, dailyRequests: 1, dailyRows: 1, exportRows: 1}
          free: {ratePerSecond: 1, burst: 1, dailyRequests: 1, dailyRows: 1, exportRows: 1}
          contest: {ratePerSecond: 1, burst: 1, dailyRequests: 1, dailyRows: 1, exportRows: 1}
          partner: {ratePerSecond: 1, burst: 1, dailyRequests: 1, dailyRows: 1, exportRows: 1}
          operator: {ratePerSecond: unlimited, burst: unlimited, dailyRequests: unlimited, dailyRows: unlimited, exportRows: unlimited}

        """;
}
