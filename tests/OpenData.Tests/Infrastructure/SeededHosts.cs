using System.Collections.Concurrent;

namespace OpenData.Tests.Infrastructure;

/// <summary>One seeded host per database, shared by the read-only tests of a class (xunit class fixture).</summary>
public sealed class SeededHosts : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<PlatformHost>>> _hosts = new();

    public Task<PlatformHost> GetAsync(string database) =>
        _hosts.GetOrAdd(database, db => new Lazy<Task<PlatformHost>>(() => PlatformHost.StartAsync(db))).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values.Where(h => h.IsValueCreated))
        {
            await (await host.Value).DisposeAsync();
        }
    }
}
