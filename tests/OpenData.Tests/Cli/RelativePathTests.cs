using System.Diagnostics;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Cli;

/// <summary>
/// Issue 21: the README's import example, run from the repository root under <c>dotnet run</c>, finds its file. Paths given
/// to the operator commands are taken from the caller's folder, not the project's (RunWorkingDirectory).
/// </summary>
public sealed class RelativePathTests
{
    [Fact]
    public async Task Under_dotnet_run_import_takes_a_relative_file_from_the_callers_folder()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        await host.CreateDatasetAsync(host.Owner(), "relative", "open", ("code", "string"));
        var caller = Directory.CreateTempSubdirectory("opendata-caller-").FullName;
        try
        {
            await ImportFromAsync(host, caller);
        }
        finally
        {
            Directory.Delete(caller, recursive: true);
        }
    }

    private static async Task ImportFromAsync(PlatformHost host, string caller)
    {
        await File.WriteAllTextAsync(Path.Combine(caller, "villages.csv"), "code\na\nb\nc\n");

        // The same build the tests run on: bin/<configuration>/net10.0 of the test project names the configuration.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = caller, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "run", "--no-build", "-c", configuration, "--project", Path.Combine(RepositoryRoot.Path, "api", "OpenData.Api"),
            "--", "import", "--dataset", "relative", "--file", "villages.csv" })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in OperatorProcess.EnvironmentFor(host))
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);

        Assert.True(process.ExitCode == 0, await output + await error);
        var detail = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/relative"));
        Assert.Equal(3, detail["rowCount"]!.GetValue<long>());
    }
}
