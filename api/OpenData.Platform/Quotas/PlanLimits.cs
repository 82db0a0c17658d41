namespace OpenData.Platform.Quotas;

/// <summary>A plan's limits; null means unlimited.</summary>
internal sealed record PlanLimits(long? RatePerSecond, long? Burst, long? DailyRequests, long? DailyRows, long? ExportRows)
{
    public static readonly IReadOnlyList<string> Names = ["ratePerSecond", "burst", "dailyRequests", "dailyRows", "exportRows"];

    public static readonly PlanLimits Unlimited = new(null, null, null, null, null);

    /// <summary>Limits that allow no request (an ended subscription's).</summary>
    public static readonly PlanLimits Nothing = new(null, null, 0, 0, 0);

    /// <summary>These limits with a tenant's single overrides on top (names as in <see cref="Names"/>).</summary>
    public PlanLimits With(IReadOnlyDictionary<string, long>? overrides)
    {
        if (overrides is null || overrides.Count == 0)
        {
            return this;
        }
        long? Pick(string name, long? value) => overrides.TryGetValue(name, out var o) ? o : value;
        return new PlanLimits(Pick("ratePerSecond", RatePerSecond), Pick("burst", Burst), Pick("dailyRequests", DailyRequests),
            Pick("dailyRows", DailyRows), Pick("exportRows", ExportRows));
    }
}
