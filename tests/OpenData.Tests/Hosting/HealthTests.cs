using System.Net;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting;

public sealed class HealthTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    [DatabaseTheory, OnEachDatabase]
    public async Task Health_and_readiness_answer_with_the_store_and_its_migration(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        Assert.Equal("ok", (await PlatformHost.ReadJsonAsync(await client.GetAsync("/healthz")))["status"]!.GetValue<string>());
        var ready = await PlatformHost.ReadJsonAsync(await client.GetAsync("/readyz"));
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.Equal(db, ready["database"]!.GetValue<string>());
        Assert.True(ready["migration"]!.GetValue<int>() >= 1);
    }

    [Fact]
    public async Task A_store_behind_the_build_is_not_ready()
    {
        var first = await PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["OpenData:Database:SeedOnStart"] = "false" });
        await using var host = await first.RestartAsync();
        await host.ExecuteSqlAsync("DELETE FROM schema_migrations");
        await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync("/readyz"), HttpStatusCode.ServiceUnavailable, "health.not_migrated");
    }
}
