using OpenData.Platform.Policies;

namespace OpenData.Platform.Quotas;

/// <summary><c>policies/plans.yaml</c>: each plan's rate, burst and daily limits; <c>anonymous</c> applies per client IP.</summary>
internal sealed partial class PlanPolicy
{
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][a-z0-9_]{0,31}$")]
    private static partial System.Text.RegularExpressions.Regex PlanName();

    public const string FileName = "plans.yaml";
    public const string Anonymous = "anonymous";
    private static readonly string[] Required = [Anonymous, "free", "contest", "partner", "operator"];

    public PlanPolicy(IReadOnlyDictionary<string, PlanLimits> plans) => Plans = plans;

    public IReadOnlyDictionary<string, PlanLimits> Plans { get; }

    /// <summary>Plans a tenant may be given: every plan but <c>anonymous</c>.</summary>
    public IReadOnlyList<string> TenantPlans => Plans.Keys.Where(p => p != Anonymous).ToList();

    public PlanLimits For(string plan) => Plans.TryGetValue(plan, out var limits) ? limits : Plans["free"];

    internal static PlanPolicy Parse(PolicyDocument doc)
    {
        var plans = new Dictionary<string, PlanLimits>(StringComparer.Ordinal);
        foreach (var (_, _, value) in doc.Entries(doc.Root, "plans.yaml", "plans"))
        {
            foreach (var (name, nameNode, planNode) in doc.Entries(doc.Mapping(value, "plans"), "plans"))
            {
                if (!PlanName().IsMatch(name))
                {
                    throw doc.Error(nameNode, $"plan '{name}' must be one lower-case word such as free or partner");
                }
                var plan = doc.Mapping(planNode, $"plan '{name}'");
                var limits = new Dictionary<string, long?>(StringComparer.Ordinal);
                foreach (var (key, _, limitNode) in doc.Entries(plan, $"plan '{name}'", [.. PlanLimits.Names]))
                {
                    limits[key] = doc.Text(limitNode, $"{name}.{key}") == "unlimited" ? null : doc.Integer(limitNode, $"{name}.{key} (or unlimited)", 0, int.MaxValue);
                }
                foreach (var key in PlanLimits.Names)
                {
                    if (!limits.ContainsKey(key))
                    {
                        throw doc.Error(plan, $"plan '{name}': '{key}' is missing; give a number or unlimited");
                    }
                }
                if (limits["ratePerSecond"] is null != limits["burst"] is null)
                {
                    throw doc.Error(plan, $"plan '{name}': ratePerSecond and burst are both numbers or both unlimited");
                }
                if (limits["burst"] is < 1 || limits["ratePerSecond"] is < 1)
                {
                    throw doc.Error(plan, $"plan '{name}': ratePerSecond and burst are at least 1 (use dailyRequests: 0 to refuse everything)");
                }
                plans[name] = new PlanLimits(limits["ratePerSecond"], limits["burst"], limits["dailyRequests"], limits["dailyRows"], limits["exportRows"]);
            }
        }
        foreach (var name in Required)
        {
            if (!plans.ContainsKey(name))
            {
                throw doc.Error(doc.Root, $"plans: '{name}' is missing; the platform needs {string.Join(", ", Required)}");
            }
        }
        return new PlanPolicy(plans);
    }
}
