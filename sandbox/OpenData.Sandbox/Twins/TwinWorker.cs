using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Desensitisation.Transforms;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// The background side of the twins, on every node: queues a twin for each newly published version (and again when the
/// dataset's columns or tags change), takes queued twins one at a time under a lease and builds them, and drops the twins of
/// versions no longer kept. Any node may build any twin; a node that dies mid-way loses its lease and another takes over.
/// </summary>
internal sealed class TwinWorker(DatasetDirectory directory, TwinStore store, TwinBuilder builder, TwinTables tables, PseudonymKeys keys,
    IOptions<SandboxOptions> options, TimeProvider clock, ILogger<TwinWorker> logger) : BackgroundService
{
    private readonly string _node = WorkLease.NewHolder();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(options.Value.PollInterval, clock, StepAsync, e => logger.LogWarning(e, "The twin worker's turn failed; it tries again"), stoppingToken);

    /// <summary>One turn: queue what is new, build what is queued, drop what is no longer kept.</summary>
    public async Task StepAsync(CancellationToken cancellationToken)
    {
        // One look at the published versions serves both ends of the turn (a publish meanwhile is seen at the next turn).
        var published = await directory.PublishedVersionsAsync(cancellationToken);
        await QueueNewAsync(published, cancellationToken);
        while (await store.ClaimAsync(_node, options.Value.Lease, cancellationToken) is { } twin)
        {
            await builder.BuildAsync(twin, _node, cancellationToken);
        }
        await RetireAsync(published, cancellationToken);
    }

    /// <summary>The seed of a version's twin: keyed by the platform's secret, so the noise cannot be replayed from public facts.</summary>
    public long SeedOf(string datasetId, int version) =>
        BitConverter.ToInt64(HMACSHA256.HashData(keys.SyntheticKey(), Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"twin\n{datasetId}\n{version}"))), 0);

    private async Task QueueNewAsync(IReadOnlyList<PublishedVersion> published, CancellationToken cancellationToken)
    {
        if (published.Count == 0)
        {
            return;
        }
        var signatures = await directory.ColumnSignaturesAsync(cancellationToken);
        var twins = (await store.ListAsync(cancellationToken)).ToDictionary(t => (t.DatasetKey, t.Version));
        foreach (var version in published)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(signatures.GetValueOrDefault(version.DatasetKey) ?? "")))[..32];
            if (!twins.TryGetValue((version.DatasetKey, version.Version), out var twin))
            {
                await store.QueueAsync(version.DatasetKey, version.DatasetId, version.Version, SeedOf(version.DatasetId, version.Version), hash, cancellationToken);
            }
            else if (!string.Equals(twin.SchemaHash, hash, StringComparison.Ordinal))
            {
                await store.RequeueAsync(version.DatasetKey, version.Version, twin.SchemaHash, hash, cancellationToken);
                tables.Forget(version.DatasetKey);
            }
        }
    }

    private async Task RetireAsync(IReadOnlyList<PublishedVersion> published, CancellationToken cancellationToken)
    {
        var current = published.Select(v => (v.DatasetKey, v.Version)).ToHashSet();
        foreach (var twin in await store.ListAsync(cancellationToken))
        {
            if (current.Contains((twin.DatasetKey, twin.Version))
                || twin.Status == TwinStatus.Generating
                || await directory.FindVersionAsync(twin.DatasetKey, twin.Version, cancellationToken) is not null)
            {
                continue;
            }
            if (twin.TableName.Length > 0 && !await store.DropTableAsync(twin.TableName, cancellationToken))
            {
                continue;
            }
            await store.DeleteAsync(twin.DatasetKey, twin.Version, cancellationToken);
            tables.Forget(twin.DatasetKey);
        }
    }
}
