using System.Collections.Concurrent;

namespace OpenData.Tests.Infrastructure;

/// <summary>One freshly seeded host per database, shared by the read-only tests of a class (xunit class fixture) and started on first use.</summary>
public sealed class SeededHosts : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<PlatformHost>>> _hosts = new();

    public Task<PlatformHost> GetAsync(string database) =>
        _hosts.GetOrAdd(database, db => new Lazy<Task<PlatformHost>>(() => PlatformHost.StartAsync(db))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values.Where(h => h.IsValueCreated && h.Value.IsCompletedSuccessfully))
        {
            await (await host.Value).DisposeAsync();
        }
    }
}
