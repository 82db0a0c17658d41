using System.Net;
using System.Net.Sockets;
using Npgsql;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting;

/// <summary>
/// Issue 21: a host that cannot start says what is wrong and what to do in one sentence on standard error, and exits with
/// the code the README documents — no stack trace. Each case runs the real binary in a process of its own.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("opendata-startup-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>A Development host on a fresh SQLite store that would otherwise start (no seeding, to be quick).</summary>
    private Dictionary<string, string?> Environment(string environment = "Development") => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = environment,
        ["OpenData__Database__DataDirectory"] = _data,
        ["OpenData__Database__SeedOnStart"] = "false",
        ["OpenData__Policies__Directory"] = TestPolicies.Folder(),
    };

    private static string SentenceOf(HostProcess.Outcome outcome, int exitCode)
    {
        Assert.True(outcome.ExitCode == exitCode, $"exit code {outcome.ExitCode}, expected {exitCode}: {outcome.Output}{outcome.Error}");
        var lines = outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on standard error, got: " + outcome.Error);
        Assert.StartsWith("opendata: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Output + outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", outcome.Output + outcome.Error, StringComparison.Ordinal);
        return lines[0];
    }

    [PostgresFact]
    public async Task A_missing_PostgreSQL_database_is_named_with_the_command_that_creates_it()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString);
        var missing = "od_missing_" + Guid.NewGuid().ToString("N")[..12];
        var environment = Environment();
        environment["OpenData__Database__Provider"] = "postgres";
        environment["ConnectionStrings__OpenData"] = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = missing }.ToString();

        var sentence = SentenceOf(await HostProcess.RunAsync(environment, []), 5);

        Assert.Contains($"the PostgreSQL database \"{missing}\" does not exist on {server.Host}:{server.Port}", sentence, StringComparison.Ordinal);
        Assert.Contains($"createdb -h {server.Host} -p {server.Port} -U {server.Username} {missing}", sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_server_is_named_with_what_to_check()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // a port nothing listens on
        var environment = Environment();
        environment["OpenData__Database__Provider"] = "postgres";
        environment["ConnectionStrings__OpenData"] = $"Host=127.0.0.1;Port={port};Username=opendata;Password=opendata;Database=opendata;Timeout=5";

        var sentence = SentenceOf(await HostProcess.RunAsync(environment, []), 6);

        Assert.Contains($"cannot reach the PostgreSQL server at 127.0.0.1:{port} (connection refused", sentence, StringComparison.Ordinal);
        Assert.Contains("correct Host and Port in ConnectionStrings:OpenData", sentence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ratePerSecond: 10", "ratePerSecond: lots", "plans.yaml:")]
    [InlineData("plans:", "plans: [unclosed", "plans.yaml")]
    public async Task A_bad_policy_file_is_named_with_its_line(string line, string broken, string named)
    {
        var environment = Environment();
        var plans = Path.Combine(environment["OpenData__Policies__Directory"]!, "plans.yaml");
        var shipped = await File.ReadAllTextAsync(Path.Combine(TestPolicies.Shipped, "plans.yaml"));
        Assert.Contains(line, shipped, StringComparison.Ordinal);
        await File.WriteAllTextAsync(plans, shipped.Replace(line, broken, StringComparison.Ordinal));

        var sentence = SentenceOf(await HostProcess.RunAsync(environment, []), 4);

        Assert.StartsWith("opendata: a policy file is not valid: " + plans[..plans.LastIndexOf('/')], sentence, StringComparison.Ordinal);
        Assert.Contains(named, sentence, StringComparison.Ordinal);
        Assert.EndsWith("correct it (the shipped policies/ folder shows the format) and start again", sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_named_with_how_to_choose_another()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var sentence = SentenceOf(await HostProcess.RunAsync(Environment(), ["--urls", address]), 7);

        Assert.Equal($"opendata: another program already listens on {address}: stop it, or start this host on a free port with --urls http://127.0.0.1:5081", sentence);
    }

    [Fact]
    public async Task A_demo_secret_in_production_is_refused_naming_the_setting()
    {
        var environment = Environment("Production");
        environment["OpenData__Auth__Issuer"] = "https://data.example.gov.cn/";
        environment["AllowedHosts"] = "data.example.gov.cn";
        environment["OpenData__Operator__ClientId"] = "ops";
        environment["OpenData__Operator__ClientSecret"] = "demo-operator-secret";

        var sentence = SentenceOf(await HostProcess.RunAsync(environment, []), 8);

        Assert.Equal("opendata: a demo secret is configured as OpenData:Operator:ClientSecret in Production: set a real secret", sentence);
    }

    [Fact]
    public async Task Production_without_its_issuer_and_host_names_is_a_configuration_error()
    {
        var sentence = SentenceOf(await HostProcess.RunAsync(Environment("Production"), []), 3);

        Assert.StartsWith("opendata: the host will not start in Production: set OpenData:Auth:Issuer", sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_that_does_not_parse_is_named_and_command_line_keys_may_be_spelled_with_double_underscores()
    {
        // `--OpenData__Database__Provider=…` is the environment variable's spelling on the command line: it is honoured (the
        // value reaches the setting it names), where .NET alone would ignore it without a word.
        var sentence = SentenceOf(await HostProcess.RunAsync(Environment(), ["--OpenData__Database__Provider=postgress"]), 3);

        Assert.Equal("opendata: the setting OpenData:Database:Provider = 'postgress' is not a valid database provider (sqlite or postgres): correct it in appsettings.json, the environment or the command line", sentence);
    }

    [Theory]
    [InlineData("OpenData__Webhooks__PollMilliseconds", "0", "PollMilliseconds")]
    [InlineData("OpenData__Access__GrantCacheSeconds", "-1", "GrantCacheSeconds")]
    [InlineData("OpenData__Auth__VoidCheckSeconds", "-1", "VoidCheckSeconds")]
    [InlineData("OpenData__Catalogue__ReadCacheSeconds", "-1", "ReadCacheSeconds")]
    [InlineData("OpenData__Ingestion__Lease", "00:00:00", "Lease")]
    [InlineData("OpenData__Ingestion__PollInterval", "00:00:00", "PollInterval")]
    [InlineData("OpenData__Auth__Issuer", "data.example.gov.cn", "OpenData:Auth:Issuer must be an absolute http(s) URL")]
    [InlineData("OpenData__Operator__ClientSecret", "too-short", "OpenData:Operator:ClientSecret must have at least 16 characters")]
    public async Task Each_module_s_settings_are_checked_at_start_and_a_bad_one_is_named(string key, string value, string named)
    {
        // Validated options (ValidateOnStart): a value out of range stops the host before it serves, where a raw read would
        // have run with it (a 0 ms poll spins; a negative cache time never caches; a short operator secret would be taken).
        var environment = Environment();
        environment[key] = value;

        var sentence = SentenceOf(await HostProcess.RunAsync(environment, []), 3);

        Assert.Contains(named, sentence, StringComparison.Ordinal);
    }
}
