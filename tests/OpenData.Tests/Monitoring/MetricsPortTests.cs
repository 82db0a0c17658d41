using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Monitoring;

/// <summary>
/// <c>OpenData:Metrics:Port</c> on the real binary: the host listens on that port too, serves <c>/metrics</c> there and nothing else,
/// and the API's port no longer serves <c>/metrics</c>.
/// </summary>
public sealed class MetricsPortTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("opendata-metrics-port-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_port_of_its_own_serves_metrics_and_nothing_else_and_the_api_port_no_metrics()
    {
        var api = FreePort();
        var metrics = FreePort();
        while (metrics == api)
        {
            metrics = FreePort();
        }
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _data,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OpenData.Api.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{api}");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("OpenData__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
            || k is "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT" or "ASPNETCORE_URLS").ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["OpenData__Database__DataDirectory"] = _data;
        start.Environment["OpenData__Database__SeedOnStart"] = "false";
        start.Environment["OpenData__Policies__Directory"] = TestPolicies.Folder();
        start.Environment["OpenData__Metrics__Port"] = metrics.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                Assert.False(process.HasExited, "the host exited: " + output);
                try
                {
                    if ((await client.GetAsync($"http://127.0.0.1:{api}/readyz")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                Assert.True(DateTime.UtcNow < deadline, "the host was not ready within 90 s: " + output);
                await Task.Delay(200);
            }
            (await client.GetAsync($"http://127.0.0.1:{api}/v1/datasets")).EnsureSuccessStatusCode();

            var scraped = await client.GetAsync($"http://127.0.0.1:{metrics}/metrics");
            var text = await scraped.Content.ReadAsStringAsync();
            Assert.True(scraped.StatusCode == HttpStatusCode.OK, $"/metrics on the metrics port answered {(int)scraped.StatusCode}: {text}");
            Assert.Contains("opendata_requests_total{", text, StringComparison.Ordinal);
            Assert.Contains("route=\"/v1/datasets\"", text, StringComparison.Ordinal);
            // The metrics port is not a way into the API, and the API's port does not serve the metrics.
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"http://127.0.0.1:{metrics}/v1/datasets")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"http://127.0.0.1:{api}/metrics")).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
