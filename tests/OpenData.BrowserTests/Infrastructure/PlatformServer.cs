using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace OpenData.BrowserTests.Infrastructure;

/// <summary>
/// The platform on real Kestrel on a free port (a browser cannot reach an in-memory test server), in Development, over a
/// fresh SQLite data folder, seeded as on first start; the shipped policies with plans too generous to throttle a test; on a
/// clock the tests may move forward (<see cref="ShiftedClock"/>).
/// </summary>
public sealed class PlatformServer : IAsyncDisposable
{
    private const string GenerousPlans = """
        plans:
          anonymous: {ratePerSecond: 100000, burst: 100000, dailyRequests: 100000000, dailyRows: 1000000000, exportRows: 1000000000}
          free: {ratePerSecond: 100000, burst: 100000, dailyRequests: 100000000, dailyRows: 1000000000, exportRows: 1000000000}
          contest: {ratePerSecond: 100000, burst: 100000, dailyRequests: 100000000, dailyRows: 1000000000, exportRows: 1000000000}
          partner: {ratePerSecond: 100000, burst: 100000, dailyRequests: 100000000, dailyRows: 1000000000, exportRows: 1000000000}
          operator: {ratePerSecond: unlimited, burst: unlimited, dailyRequests: unlimited, dailyRows: unlimited, exportRows: unlimited}
        """;

    private readonly Factory _factory;
    private readonly string _directory;

    private PlatformServer(Factory factory, string directory)
    {
        _factory = factory;
        _directory = directory;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => _factory.ClientOptions.BaseAddress;

    public static PlatformServer Start(ShiftedClock clock)
    {
        var directory = Directory.CreateTempSubdirectory("opendata-browser-").FullName;
        var policies = Directory.CreateDirectory(Path.Combine(directory, "policies")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "policies"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(policies, Path.GetFileName(file)));
        }
        File.WriteAllText(Path.Combine(policies, "plans.yaml"), GenerousPlans);
        var factory = new Factory(clock, new Dictionary<string, string>
        {
            ["OpenData:Database:Provider"] = "sqlite",
            ["OpenData:Database:DataDirectory"] = directory,
            ["OpenData:Database:SeedOnStart"] = "true",
            ["OpenData:Policies:Directory"] = policies,
            ["Logging:LogLevel:Default"] = "Warning",
            // The owner's monitoring page shows an unusual read within seconds rather than at the next minute's check.
            ["OpenData:Monitoring:CheckSeconds"] = "2",
        });
        factory.UseKestrel(0);
        factory.StartServer();
        return new PlatformServer(factory, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Factory(ShiftedClock clock, Dictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
        }
    }
}
