using System.Diagnostics;

namespace OpenData.Tests.Infrastructure;

/// <summary>A small RAM file system mounted for one test: a disk that fills up for real (needs root, as on CI).</summary>
public sealed class Tmpfs : IDisposable
{
    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        try
        {
            using var probe = Mount(64 * 1024);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return e.Message;
        }
    });

    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Why no tmpfs can be mounted here (not Linux, not root), or null when it can.</summary>
    public static string? WhyNot => Unavailable.Value;

    public static Tmpfs Mount(long bytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException("tmpfs needs Linux");
        }
        var path = Directory.CreateTempSubdirectory("opendata-tmpfs-").FullName;
        if (Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path) is { } error)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"mount -t tmpfs failed: {error}");
        }
        return new Tmpfs(path);
    }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : error.Trim();
    }
}
