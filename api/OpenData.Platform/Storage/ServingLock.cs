namespace OpenData.Platform.Storage;

/// <summary>
/// A shared lock on <c>opendata.db.serving</c>, held by every host that serves a SQLite store for as long as it runs, so an
/// operator command that must not run under a live host (restore) can tell. SQLite's own locks cannot say it: a host whose
/// pooled connections are all closed holds none.
/// </summary>
internal sealed class ServingLock : IDisposable
{
    public const string Suffix = ".serving";

    private readonly Lock _gate = new();
    private FileStream? _held;

    /// <summary>Takes the shared lock beside <paramref name="sqliteFile"/>; other hosts of the same store take it too.</summary>
    public void Acquire(string sqliteFile)
    {
        lock (_gate)
        {
            // Read-only with sharing: on Unix .NET takes flock(LOCK_SH), which any number of hosts may hold at once.
            _held ??= new FileStream(sqliteFile + Suffix, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
    }

    /// <summary>Whether some process holds the lock, tried by asking for it exclusively (and letting go at once).</summary>
    public static bool IsHeld(string sqliteFile)
    {
        try
        {
            using var probe = new FileStream(sqliteFile + Suffix, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _held?.Dispose();
            _held = null;
        }
    }
}
