using GraphQL.DataLoader;

namespace OpenData.Platform.GraphQL;

/// <summary>
/// Collects the keys that resolvers of one execution level ask for and fetches them in one call when the first result is
/// awaited (GraphQL for .NET awaits <see cref="IDataLoaderResult"/>s after each level). One instance per request; a key
/// asked for twice is fetched once.
/// </summary>
internal sealed class BatchLoader<TKey, TValue>(Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly List<TKey> _pending = [];
    private readonly Dictionary<TKey, Task<IReadOnlyDictionary<TKey, TValue>>> _batches = [];

    /// <summary>Queues a key; its value (or default when the fetch did not find it) is read when the result is awaited.</summary>
    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_gate)
        {
            if (!_batches.ContainsKey(key) && !_pending.Contains(key))
            {
                _pending.Add(key);
            }
        }
        return new Pending(this, key);
    }

    private async Task<TValue?> GetAsync(TKey key, CancellationToken cancellationToken)
    {
        Task<IReadOnlyDictionary<TKey, TValue>> batch;
        lock (_gate)
        {
            if (!_batches.TryGetValue(key, out batch!))
            {
                var keys = _pending.ToList();
                _pending.Clear();
                batch = fetch(keys, cancellationToken);
                foreach (var pending in keys)
                {
                    _batches[pending] = batch;
                }
            }
        }
        var values = await batch.ConfigureAwait(false);
        return values.TryGetValue(key, out var value) ? value : default;
    }

    private sealed class Pending(BatchLoader<TKey, TValue> loader, TKey key) : IDataLoaderResult<TValue?>
    {
        public Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) => loader.GetAsync(key, cancellationToken);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Maps a loaded value once it arrives (the GraphQL.DataLoader package's <c>Then</c> is not served here).</summary>
internal static class DataLoaderResults
{
    public static IDataLoaderResult<TResult> Then<T, TResult>(this IDataLoaderResult<T> result, Func<T, TResult> map) =>
        new Mapped<T, TResult>(result, map);

    private sealed class Mapped<T, TResult>(IDataLoaderResult<T> inner, Func<T, TResult> map) : IDataLoaderResult<TResult>
    {
        public async Task<TResult> GetResultAsync(CancellationToken cancellationToken = default) =>
            map(await inner.GetResultAsync(cancellationToken).ConfigureAwait(false));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken).ConfigureAwait(false);
    }
}
