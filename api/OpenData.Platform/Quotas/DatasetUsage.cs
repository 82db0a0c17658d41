using System.Globalization;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Quotas;

/// <summary>One tenant's reads of one dataset on one day (summed over the tenant's apps).</summary>
internal sealed record TenantDayReads(string TenantId, string Day, long Requests, long Rows);

/// <summary>One app's metered requests and rows read on one day.</summary>
internal sealed record AppDay(string Day, long Requests, long Rows);

/// <summary>One tenant's rows read from one dataset on one day, when more than a floor.</summary>
internal sealed record HeavyRead(string TenantId, string DatasetId, string Day, long Rows);

/// <summary>
/// Usage of datasets by reader, from <c>usage_daily</c>: the figures a dataset's owner watches (reads per day by tenant) and
/// what anomaly detection compares (a day's rows against the days before). No rule of who may see what: the caller (the
/// monitoring module, which knows the datasets' owners) decides; this answers only for the datasets it is asked about.
/// Anonymous callers (counted under <see cref="PlanPolicy.Anonymous"/>) are no reader of their own and are left out. Also one
/// app's own days, for the contest showcase's landing figures.
/// </summary>
internal sealed class DatasetUsage(Database database, UsageMeter meter)
{
    private const string DayFormat = "yyyy-MM-dd";

    // Classes with setters: SQLite types an empty result's columns as blobs, which no constructor would take.
    private sealed class ReadsRow
    {
        public string TenantId { get; set; } = "";
        public string DatasetId { get; set; } = "";
        public string Day { get; set; } = "";
        public long Requests { get; set; }
        public long Rows { get; set; }
    }

    private static string Key(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads of one dataset per tenant and day between two days (inclusive), this node's unwritten counts included.</summary>
    public async Task<IReadOnlyList<TenantDayReads>> ByTenantAsync(string datasetId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await meter.FlushAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReadsRow>(new CommandDefinition(
            """
            SELECT tenant_id AS tenantId, day, CAST(SUM(requests) AS BIGINT) AS requests, CAST(SUM(rows_read) AS BIGINT) AS rows
            FROM usage_daily WHERE dataset_id = @datasetId AND day >= @fromKey AND day <= @toKey AND tenant_id <> @anonymous
            GROUP BY tenant_id, day ORDER BY day, tenant_id
            """,
            new { datasetId, fromKey = Key(from), toKey = Key(to), anonymous = PlanPolicy.Anonymous }, cancellationToken: cancellationToken));
        return rows.Select(r => new TenantDayReads(r.TenantId, r.Day, r.Requests, r.Rows)).ToList();
    }

    /// <summary>Every tenant that read more than <paramref name="moreThan"/> rows of one dataset on a day (all nodes' written counts and this node's).</summary>
    public async Task<IReadOnlyList<HeavyRead>> HeavyReadersAsync(DateOnly day, long moreThan, CancellationToken cancellationToken)
    {
        await meter.FlushAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReadsRow>(new CommandDefinition(
            """
            SELECT tenant_id AS tenantId, dataset_id AS datasetId, day, CAST(SUM(rows_read) AS BIGINT) AS rows
            FROM usage_daily WHERE day = @dayKey AND dataset_id <> '' AND tenant_id <> @anonymous
            GROUP BY tenant_id, dataset_id, day HAVING SUM(rows_read) > @moreThan
            ORDER BY tenant_id, dataset_id
            """,
            new { dayKey = Key(day), moreThan, anonymous = PlanPolicy.Anonymous }, cancellationToken: cancellationToken));
        return rows.Select(r => new HeavyRead(r.TenantId, r.DatasetId, r.Day, r.Rows)).ToList();
    }

    /// <summary>The rows a tenant read of a dataset on each day between two days (inclusive) on which it read any.</summary>
    public async Task<IReadOnlyList<long>> DailyRowsAsync(string tenantId, string datasetId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReadsRow>(new CommandDefinition(
            """
            SELECT day, CAST(SUM(rows_read) AS BIGINT) AS rows
            FROM usage_daily WHERE tenant_id = @tenantId AND dataset_id = @datasetId AND day >= @fromKey AND day <= @toKey
            GROUP BY day HAVING SUM(rows_read) > 0
            """,
            new { tenantId, datasetId, fromKey = Key(from), toKey = Key(to) }, cancellationToken: cancellationToken));
        return rows.Select(r => r.Rows).ToList();
    }

    /// <summary>An app's requests and rows per day (by its tenant and client id) between two days (inclusive) on which it made any, this node's unwritten counts included.</summary>
    public async Task<IReadOnlyList<AppDay>> AppDaysAsync(string tenantId, string clientId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await meter.FlushAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReadsRow>(new CommandDefinition(
            """
            SELECT day, CAST(SUM(requests) AS BIGINT) AS requests, CAST(SUM(rows_read) AS BIGINT) AS rows
            FROM usage_daily WHERE tenant_id = @tenantId AND app_id = @clientId AND day >= @fromKey AND day <= @toKey
            GROUP BY day ORDER BY day
            """,
            new { tenantId, clientId, fromKey = Key(from), toKey = Key(to) }, cancellationToken: cancellationToken));
        return rows.Select(r => new AppDay(r.Day, r.Requests, r.Rows)).ToList();
    }
}
