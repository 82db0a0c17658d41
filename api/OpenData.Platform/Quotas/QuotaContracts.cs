namespace OpenData.Platform.Quotas;

/// <summary>The caller's plan, limits (null: unlimited) and what is left of today's allowance.</summary>
internal sealed record QuotaStatus(string? Tenant, string Plan, string Day, DateTimeOffset ResetsAt, PlanLimits Limits, QuotaRemaining Remaining);

/// <summary>What is left today (null: unlimited). Blocks other nodes leased and have not used yet count as used.</summary>
internal sealed record QuotaRemaining(long? DailyRequests, long? DailyRows);

/// <summary>One day's usage of one dataset by one app of the tenant (dataset "" for catalogue routes, app "" without one).</summary>
internal sealed record UsageRow(string Day, string Dataset, string App, long Requests, long Rows, long Bytes, long Errors, long Throttled);

/// <summary>A tenant's usage between two days, with totals.</summary>
internal sealed record UsageReport(string Tenant, string From, string To, IReadOnlyList<UsageRow> Items, UsageTotals Totals);

internal sealed record UsageTotals(long Requests, long Rows, long Bytes, long Errors, long Throttled);
