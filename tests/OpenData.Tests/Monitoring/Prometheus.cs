using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Monitoring;

/// <summary>
/// Debian's <c>prometheus</c> package (which brings <c>promtool</c>): its tools run, and a server of its own on a free local port
/// with a temporary configuration and storage, stopped (the process, by its id) when disposed.
/// </summary>
internal sealed class Prometheus : IAsyncDisposable
{
    public const string Missing = "Debian's prometheus package is not installed (apt-get install -y prometheus; ./test installs it)";

    private readonly Process _process;
    private readonly string _directory;

    private Prometheus(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public static string RulesFolder => Path.Combine(RepositoryRoot.Path, "deploy", "prometheus");

    /// <summary>The path of a tool of the package, or a failure naming the package: CI installs it, so its absence is a failure, not a skip.</summary>
    public static string Tool(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin"))
        {
            var path = Path.Combine(folder, name);
            if (folder.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }
        Assert.Fail($"{name} not found: {Missing}");
        return "";
    }

    /// <summary>Runs a tool to its end; its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Tool(tool), arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts a server scraping <paramref name="target"/>'s <c>/metrics</c> every second, with the platform's rules loaded.</summary>
    public static async Task<Prometheus> StartAsync(Uri target)
    {
        var directory = Directory.CreateTempSubdirectory("opendata-prometheus-").FullName;
        File.Copy(Path.Combine(RulesFolder, "opendata.rules.yml"), Path.Combine(directory, "opendata.rules.yml"));
        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - opendata.rules.yml
            scrape_configs:
              - job_name: opendata
                metrics_path: /metrics
                static_configs:
                  - targets: ['{target.Authority}']
            """);
        var port = FreePort();
        var start = new ProcessStartInfo(Tool("prometheus"),
        [
            "--config.file=" + Path.Combine(directory, "prometheus.yml"),
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            "--web.listen-address=127.0.0.1:" + port,
        ])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        // Its log goes nowhere, but must be read, or a full pipe would stop it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var prometheus = new Prometheus(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        using var client = new HttpClient { BaseAddress = prometheus.Address };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(process.HasExited, $"prometheus exited with {(process.HasExited ? process.ExitCode : 0)} before it was ready");
            try
            {
                if ((await client.GetAsync("-/ready")).IsSuccessStatusCode)
                {
                    return prometheus;
                }
            }
            catch (HttpRequestException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, "prometheus was not ready within 30 s");
            await Task.Delay(100);
        }
    }

    /// <summary>An instant PromQL query through the HTTP API (<c>/api/v1/query</c>): its result vector.</summary>
    public async Task<JsonArray> QueryAsync(string promql)
    {
        using var client = new HttpClient { BaseAddress = Address };
        var answer = JsonNode.Parse(await client.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql)))!;
        Assert.Equal("success", answer["status"]!.GetValue<string>());
        return answer["data"]!["result"]!.AsArray();
    }

    /// <summary>The API's answer at <paramref name="path"/> (for example <c>api/v1/rules</c>).</summary>
    public async Task<JsonNode> GetAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = Address };
        return JsonNode.Parse(await client.GetStringAsync(path))!;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
