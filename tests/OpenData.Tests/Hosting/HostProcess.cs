using System.Diagnostics;

namespace OpenData.Tests.Hosting;

/// <summary>Starts the real host binary in a process of its own, as a person at a terminal would, and collects what it says.</summary>
internal static class HostProcess
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    /// <summary>Runs <c>dotnet OpenData.Api.dll args</c>; a host still running after <paramref name="timeout"/> is stopped and fails the test.</summary>
    public static async Task<Outcome> RunAsync(IDictionary<string, string?> environment, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OpenData.Api.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // Nothing of the test runner's own configuration leaks in.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("OpenData__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
            || k is "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT" or "ASPNETCORE_URLS").ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"the host was still running after {(timeout ?? TimeSpan.FromSeconds(90)).TotalSeconds} s: {await stdout}{await stderr}");
        }
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }
}
