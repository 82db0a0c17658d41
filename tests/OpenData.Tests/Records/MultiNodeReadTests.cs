using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Records;

public sealed class MultiNodeReadTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task A_node_whose_cached_version_was_dropped_by_another_node_reads_the_new_one(string db)
    {
        await using var a = await PlatformHost.StartAsync(db);
        await using var b = await a.StartPeerAsync();
        var owner = b.Owner();
        await b.CreateDatasetAsync(owner, "shared", "open", ("n", "integer"));
        Assert.Equal("succeeded", (await b.UploadAsync(owner, "shared", "n\n1\n")).GetProperty("status").GetString());

        // Node A caches version 1; node B publishes twice, which drops version 1's table (one retired version is kept).
        var before = await PlatformHost.ReadJsonAsync(await a.Anonymous().GetAsync("/v1/datasets/shared/records"));
        Assert.Equal(1, before["items"]![0]!["n"]!.GetValue<long>());
        Assert.Equal("succeeded", (await b.UploadAsync(owner, "shared", "n\n2\n")).GetProperty("status").GetString());
        Assert.Equal("succeeded", (await b.UploadAsync(owner, "shared", "n\n3\n")).GetProperty("status").GetString());

        var after = await a.Anonymous().GetAsync("/v1/datasets/shared/records");
        var page = await PlatformHost.ReadJsonAsync(after);
        Assert.Equal(3, page["items"]![0]!["n"]!.GetValue<long>());
        Assert.Equal("3", after.Headers.GetValues("X-Dataset-Version").Single());
    }
}
