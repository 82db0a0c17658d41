using System.Net;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Records;

public sealed class RecordsSmokeTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task Seeded_villages_are_served(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/ningbo-villages/records?limit=5"));
        Assert.Equal(5, page["items"]!.AsArray().Count);
        Assert.Equal("330203001001", page["items"]![0]!["code"]!.GetValue<string>());
        Assert.NotNull(page["next"]);
    }
}
