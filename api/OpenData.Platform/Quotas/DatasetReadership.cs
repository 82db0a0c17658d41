using System.Globalization;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Quotas;

/// <summary>How much a dataset was read by everyone over recent days: counts only, never who read.</summary>
internal sealed record DatasetReads(string DatasetId, long Requests, long Rows);

/// <summary>The platform's readership as the public sees it: every dataset's reads summed over all tenants.</summary>
internal sealed record Readership(IReadOnlyList<DatasetReads> MostRead, long RowsServed);

/// <summary>
/// The most-read datasets of the last days and the rows served since the start, from <c>usage_daily</c> (the public home
/// page's figures). Summed over every tenant, so no one's usage shows; kept for a minute per node, since usage itself reaches
/// the store only every few seconds.
/// </summary>
internal sealed class DatasetReadership(Database database, QuotaDay day, TimeProvider clock)
{
    public const int Days = 30;

    private static readonly TimeSpan Kept = TimeSpan.FromMinutes(1);

    // A class with setters: SQLite types an empty result's columns as blobs, which no constructor would take.
    private sealed class ReadsRow
    {
        public string DatasetId { get; set; } = "";
        public long Requests { get; set; }
        public long Rows { get; set; }
    }

    private sealed record Cached(Readership Value, DateTimeOffset Until, int Top);

    private volatile Cached? _cached;

    public async Task<Readership> ReadAsync(int top, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var now = clock.GetUtcNow();
        if (_cached is { } cached && cached.Until > now && cached.Top >= top)
        {
            return cached.Value with { MostRead = cached.Value.MostRead.Take(top).ToList() };
        }
        var since = day.Today.AddDays(1 - Days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var connection = await database.OpenAsync(cancellationToken);
        var most = (await connection.QueryAsync<ReadsRow>(new CommandDefinition(
            """
            SELECT dataset_id AS datasetId, CAST(SUM(requests) AS BIGINT) AS requests, CAST(SUM(rows_read) AS BIGINT) AS rows
            FROM usage_daily WHERE dataset_id <> '' AND day >= @since
            GROUP BY dataset_id HAVING SUM(rows_read) > 0
            ORDER BY SUM(rows_read) DESC, dataset_id LIMIT @top
            """, new { since, top }, cancellationToken: cancellationToken))).Select(r => new DatasetReads(r.DatasetId, r.Requests, r.Rows)).ToList();
        var served = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(COALESCE(SUM(rows_read), 0) AS BIGINT) FROM usage_daily", cancellationToken: cancellationToken));
        var value = new Readership(most, served);
        _cached = new Cached(value, now + Kept, top);
        return value;
    }
}
