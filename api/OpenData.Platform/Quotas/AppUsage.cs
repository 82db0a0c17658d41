using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Quotas;

/// <summary>
/// Metered usage of given apps per day, for modules that price it (the marketplace's statements) without reading Quotas' table:
/// requests, 4xx answers, 429 answers and rows, summed over datasets, after this node's pending counts are written.
/// </summary>
internal sealed class AppUsage(Database database, UsageMeter meter)
{
    public async Task<IReadOnlyList<AppDayUsage>> DailyAsync(IReadOnlyCollection<string> clientIds, string fromDay, string toDay, CancellationToken cancellationToken)
    {
        if (clientIds.Count == 0)
        {
            return [];
        }
        await meter.FlushAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = new List<AppDayUsage>();
        foreach (var chunk in clientIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var parameters = new DynamicParameters(new { fromDay, toDay });
            var names = new List<string>();
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.Add("a" + i, chunk[i]);
                names.Add("@a" + i);
            }
            rows.AddRange(await connection.QueryAsync<AppDayUsage>(new CommandDefinition(
                $"""
                SELECT app_id AS App, day AS Day, CAST(SUM(requests) AS bigint) AS Requests, CAST(SUM(errors) AS bigint) AS Errors,
                       CAST(SUM(throttled) AS bigint) AS Throttled, CAST(SUM(rows_read) AS bigint) AS Rows
                FROM usage_daily WHERE app_id IN ({string.Join(", ", names)}) AND day >= @fromDay AND day <= @toDay
                GROUP BY app_id, day
                """, parameters, cancellationToken: cancellationToken)));
        }
        return rows;
    }
}

/// <summary>One app's usage on one day (CST): every request, the 4xx and 429 answers among them, and rows read.</summary>
internal sealed record AppDayUsage(string App, string Day, long Requests, long Errors, long Throttled, long Rows)
{
    /// <summary>Requests answered without a 4xx or 429 refusal.</summary>
    public long Served => Requests - Errors - Throttled;
}
