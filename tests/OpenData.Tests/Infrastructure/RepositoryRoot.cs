namespace OpenData.Tests.Infrastructure;

/// <summary>The checkout's root folder (the one holding OpenData.sln).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "OpenData.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("OpenData.sln not found above " + AppContext.BaseDirectory);
    }
}
