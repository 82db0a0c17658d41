using System.Collections.Concurrent;

namespace OpenData.Tests.Infrastructure;

/// <summary>
/// One freshly seeded host per database, shared by the read-only tests of a class (xunit class fixture) and started on first use;
/// a subclass may add data of its own to each host once, in <see cref="PrepareAsync"/>.
/// </summary>
public class SeededHosts : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<PlatformHost>>> _hosts = new();

    public Task<PlatformHost> GetAsync(string database) =>
        _hosts.GetOrAdd(database, db => new Lazy<Task<PlatformHost>>(async () =>
        {
            var host = await PlatformHost.StartAsync(db);
            await PrepareAsync(host);
            return host;
        })).Value;

    protected virtual Task PrepareAsync(PlatformHost host) => Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values.Where(h => h.IsValueCreated && h.Value.IsCompletedSuccessfully))
        {
            await (await host.Value).DisposeAsync();
        }
    }
}
