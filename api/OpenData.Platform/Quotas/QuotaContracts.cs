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

/// <summary>A page of a tenant's request log, newest first; <see cref="Next"/> (null on the last page) asks for the page after.</summary>
internal sealed record RequestLogPage(string Tenant, IReadOnlyList<LoggedRequest> Items, string? Next)
{
    /// <summary>The key of a request in the log's order (its instant in ticks, then its id), as <c>before=</c> takes it.</summary>
    public static string KeyOf(LoggedRequest request) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{request.At.UtcTicks}.{request.Id}");

    public static bool TryParseKey(string key, out DateTimeOffset at, out long id)
    {
        at = default;
        id = 0;
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !long.TryParse(key.AsSpan(0, dot), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(key.AsSpan(dot + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }
        at = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}

/// <summary>The whole platform's metered requests, rows read and 429 answers on one day.</summary>
internal sealed record PlatformDay(string Day, long Requests, long Rows, long Throttled);

/// <summary>Rows read from one dataset (and the requests that read them) over a range of days.</summary>
internal sealed record DatasetRows(string Dataset, long Rows, long Requests);

/// <summary>The platform's figures between two days: every day's totals, and the datasets most read.</summary>
internal sealed record PlatformFigures(string From, string To, IReadOnlyList<PlatformDay> Days, IReadOnlyList<DatasetRows> TopDatasets);
