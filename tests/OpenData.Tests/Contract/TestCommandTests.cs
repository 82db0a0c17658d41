using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contract;

/// <summary>
/// Issue 13, item 16: a newcomer's test command passes on a fresh machine. The README names one command, that command does
/// its own set-up (PostgreSQL, Chromium) before `dotnet test OpenData.sln`, and CI runs exactly it — so what CI proves on a
/// clean machine is what the newcomer runs.
/// </summary>
public sealed class TestCommandTests
{
    private static string Read(string relative) => File.ReadAllText(Path.Combine(RepositoryRoot.Path, relative));

    [Fact]
    public void The_READMEs_test_command_sets_up_what_the_tests_need_and_CI_runs_it()
    {
        var readme = Read("README.md");
        var runAndTest = readme[readme.IndexOf("\n## Test\n", StringComparison.Ordinal)..];
        Assert.Contains("\n./test ", runAndTest[..runAndTest.IndexOf("```\n", runAndTest.IndexOf("```sh", StringComparison.Ordinal) + 5, StringComparison.Ordinal)], StringComparison.Ordinal);

        var script = Read("test");
        Assert.StartsWith("#!/usr/bin/env bash", script, StringComparison.Ordinal);
        Assert.Contains("install_package postgresql", script, StringComparison.Ordinal);
        Assert.Contains("install_package chromium fonts-noto-cjk", script, StringComparison.Ordinal);
        Assert.Contains("OPENDATA_TEST_POSTGRES=", script, StringComparison.Ordinal);
        Assert.EndsWith("exec dotnet test OpenData.sln \"$@\"\n", script, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True((File.GetUnixFileMode(Path.Combine(RepositoryRoot.Path, "test")) & UnixFileMode.UserExecute) != 0, "./test is not executable");
        }

        var ci = Read(".ci/run");
        Assert.Contains("\n./test || status=$?\n", ci, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet test", ci, StringComparison.Ordinal);
    }
}
