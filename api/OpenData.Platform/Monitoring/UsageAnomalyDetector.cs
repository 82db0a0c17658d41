using System.Globalization;
using Microsoft.Extensions.Options;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// Finds the tenants that read a dataset far beyond their habit today or yesterday (<see cref="UsageAnomalyRule"/>) and raises
/// each once, to the dataset's owner (<see cref="MonitoringStore.RaiseAsync"/>). Only readers past the floor are looked at, so
/// a check costs one grouped query of the day's usage, plus one small history query per heavy reader not raised yet.
/// </summary>
internal sealed class UsageAnomalyDetector(DatasetUsage usage, MonitoringStore store, DatasetDirectory directory, QuotaDay day, TimeProvider clock,
    IOptions<MonitoringOptions> options)
{
    /// <summary>Checks today and yesterday (a node's last counts of a day may be written after midnight); answers how many it raised.</summary>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var rule = options.Value;
        var today = day.Today;
        var raised = 0;
        foreach (var checkedDay in new[] { today.AddDays(-1), today })
        {
            var heavy = await usage.HeavyReadersAsync(checkedDay, rule.FloorRows, cancellationToken);
            if (heavy.Count == 0)
            {
                continue;
            }
            var key = checkedDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var already = await store.RaisedOnAsync(key, cancellationToken);
            foreach (var reader in heavy.Where(h => !already.Contains((h.TenantId, h.DatasetId))))
            {
                var history = await usage.DailyRowsAsync(reader.TenantId, reader.DatasetId, checkedDay.AddDays(-rule.HistoryDays), checkedDay.AddDays(-1), cancellationToken);
                var median = UsageAnomalyRule.Median(history);
                if (!UsageAnomalyRule.IsUnusual(reader.Rows, median, rule.FloorRows, rule.Factor)
                    || await directory.FindAsync(reader.DatasetId, cancellationToken) is not { } dataset)
                {
                    continue;
                }
                var anomaly = new UsageAnomaly(reader.TenantId, reader.DatasetId, key, dataset.OwnerId, reader.Rows, median, clock.GetUtcNow());
                if (await store.RaiseAsync(anomaly, cancellationToken))
                {
                    raised++;
                }
            }
        }
        return raised;
    }
}
