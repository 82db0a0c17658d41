using System.Globalization;
using System.Text;

namespace OpenData.Platform.Quotas;

/// <summary>
/// The values of <c>RateLimit-Policy</c> and <c>RateLimit</c> (IETF httpapi RateLimit header fields, draft 08) for a plan's
/// limits and what is left of them: one policy per limited item (<c>burst</c>, <c>daily</c> requests, <c>rows</c> a day).
/// Admission writes them on every metered answer; the portal's guide shows them, so the two never differ. A marketplace
/// subscription's items are named by the subscription: <c>"sub_…/daily"</c>.
/// </summary>
internal static class RateLimitHeaders
{
    /// <summary>Both header values, or null for a plan with no limit at all. A remaining count is given for each limit the plan has.</summary>
    public static (string Policy, string State)? For(PlanLimits limits, long? burstLeft, long? dailyLeft, long? rowsLeft, long secondsToReset, string? policy = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var policies = new StringBuilder();
        var state = new StringBuilder();
        void Add(string item, long quota, long window, long remaining, long reset, string? unit)
        {
            // A subscription's items carry its name, so a caller holding several sees whose limit is whose.
            var name = policy is null ? item : policy + "/" + item;
            var separator = policies.Length > 0 ? ", " : "";
            policies.Append(CultureInfo.InvariantCulture, $"{separator}\"{name}\";q={quota};w={window}").Append(unit is null ? "" : $";qu=\"{unit}\"");
            state.Append(CultureInfo.InvariantCulture, $"{separator}\"{name}\";r={Math.Max(0, remaining)};t={reset}");
        }
        if (limits.Burst is { } size && burstLeft is { } left)
        {
            Add("burst", size, 1, left, 1, null);
        }
        if (limits.DailyRequests is { } daily && dailyLeft is { } requests)
        {
            Add("daily", daily, 86400, requests, secondsToReset, null);
        }
        if (limits.DailyRows is { } rows && rowsLeft is { } read)
        {
            Add("rows", rows, 86400, read, secondsToReset, "rows");
        }
        return policies.Length > 0 ? (policies.ToString(), state.ToString()) : null;
    }
}
