using System.Diagnostics.Metrics;
using OpenData.Platform.Common;

namespace OpenData.Platform.Quotas;

/// <summary>
/// Refusals of quotas and rate limits by policy (<c>burst</c>, <c>daily</c> requests, <c>rows</c> of the day) and plan: the plan
/// names a bounded set of the operator's policies; the tenant is left out (unbounded), the request log names it.
/// </summary>
internal static class QuotaTelemetry
{
    public const string RowsPolicy = "rows";

    public static readonly Counter<long> Refusals = PlatformTelemetry.Meter.CreateCounter<long>("opendata.quota.refusals", "{refusal}",
        "Requests refused by a quota or rate limit (429), by policy (burst, daily, rows) and plan");

    public static void Refused(string policy, string plan) =>
        Refusals.Add(1, new KeyValuePair<string, object?>("policy", policy), new KeyValuePair<string, object?>("plan", plan));
}
