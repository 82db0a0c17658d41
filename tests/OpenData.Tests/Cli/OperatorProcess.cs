using System.Diagnostics;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Cli;

/// <summary>Runs an operator command as the real binary in a process of its own, configured for a test host's store.</summary>
internal static class OperatorProcess
{
    /// <summary>The environment that points the binary at <paramref name="host"/>'s store, data folder and policies.</summary>
    public static Dictionary<string, string> EnvironmentFor(PlatformHost host)
    {
        var environment = new Dictionary<string, string>
        {
            ["OpenData__Database__Provider"] = host.Database,
            ["OpenData__Database__DataDirectory"] = host.DataDirectory,
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        if (host.ConnectionString is not null)
        {
            environment["ConnectionStrings__OpenData"] = host.ConnectionString;
        }
        if (host.PoliciesDirectory is not null)
        {
            environment["OpenData__Policies__Directory"] = host.PoliciesDirectory;
        }
        return environment;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OpenData.Api.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
