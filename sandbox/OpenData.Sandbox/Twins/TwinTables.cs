using System.Collections.Concurrent;
using OpenData.Platform.Datasets;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// The read path's view of the twins (<see cref="ITwinTables"/>): the table a sandbox caller reads instead of a version's rows.
/// Looked up once per dataset version for <see cref="CacheTime"/> (as the catalogue caches its directory), so a page of the
/// sandbox costs the live path no more than one extra lookup now and then.
/// </summary>
internal sealed class TwinTables(TwinStore store, TimeProvider clock) : ITwinTables
{
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<(long, int), (TwinLookup Lookup, DateTimeOffset At)> _cache = new();

    public async ValueTask<TwinLookup> FindAsync(DatasetSchema dataset, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var key = (dataset.Key, version);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && now - cached.At < CacheTime)
        {
            return cached.Lookup;
        }
        var lookup = Lookup(await store.FindAsync(dataset.Key, version, cancellationToken), version);
        _cache[key] = (lookup, now);
        return lookup;
    }

    /// <summary>Forgets what it knows of a dataset's twins (this node finished or dropped one).</summary>
    public void Forget(long datasetKey)
    {
        foreach (var key in _cache.Keys.Where(k => k.Item1 == datasetKey))
        {
            _cache.TryRemove(key, out _);
        }
    }

    private static TwinLookup Lookup(TwinRow? twin, int version) => twin switch
    {
        null => new TwinLookup(null, TwinAbsence.Generating),
        // A table made for the dataset's earlier tags stays served while the next generation is made.
        { TableName.Length: > 0 } when twin.Status != TwinStatus.Withheld => new TwinLookup(new DatasetVersionTable(version, twin.TableName, twin.RowCount)),
        { Status: TwinStatus.Withheld } => new TwinLookup(null, TwinAbsence.Withheld),
        { Status: TwinStatus.Queued or TwinStatus.Generating } => new TwinLookup(null, TwinAbsence.Generating),
        _ => TwinLookup.Missing,
    };
}
