using OpenData.Platform.Common;

namespace OpenData.Platform.Quotas;

/// <summary>Error codes of quota admission, answered by every metered operation (and GraphQL).</summary>
internal static class QuotasErrors
{
    [ErrorCode(429, "the plan's burst allowance is used up: retry after Retry-After")]
    public const string RateExceeded = "rate.exceeded";

    [ErrorCode(429, "the plan's requests or rows for today are used up; the quota resets at midnight China Standard Time")]
    public const string DailyExceeded = "quota.daily_exceeded";
}
