using System.Runtime.InteropServices;
using SQLitePCL;

namespace OpenData.Platform.Storage;

/// <summary>
/// Direct calls into SQLite's bundled library (e_sqlite3), the one Microsoft.Data.Sqlite loads, for the two bulk paths that a
/// handle taken and released per call made slow: reading an export's cells (<see cref="SqliteRowSource"/>) and binding an
/// import's rows (<c>Ingestion/SqliteRowSink</c>). <see cref="Available"/> says whether the library is that one; with any other
/// provider both paths use Microsoft.Data.Sqlite as before.
/// </summary>
internal static partial class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>Whether Microsoft.Data.Sqlite runs on the bundled e_sqlite3 and its exports answer: then these calls reach the very library it uses.</summary>
    public static bool Available { get; } = Probe();

    private static bool Probe()
    {
        try
        {
            return string.Equals(raw.GetNativeLibraryName(), Library, StringComparison.Ordinal) && LibraryVersion() > 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException or NotImplementedException)
        {
            return false;
        }
    }

    // Reading a cell and binding a value are a few instructions each and never call back: no GC transition.
    [LibraryImport(Library, EntryPoint = "sqlite3_column_type"), SuppressGCTransition]
    public static partial int ColumnType(IntPtr statement, int ordinal);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_text"), SuppressGCTransition]
    public static partial IntPtr ColumnText(IntPtr statement, int ordinal);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes"), SuppressGCTransition]
    public static partial int ColumnBytes(IntPtr statement, int ordinal);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64"), SuppressGCTransition]
    public static partial long ColumnInt64(IntPtr statement, int ordinal);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_double"), SuppressGCTransition]
    public static partial double ColumnDouble(IntPtr statement, int ordinal);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64"), SuppressGCTransition]
    public static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_double"), SuppressGCTransition]
    public static partial int BindDouble(IntPtr statement, int index, double value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null"), SuppressGCTransition]
    public static partial int BindNull(IntPtr statement, int index);

    /// <summary>Binds <paramref name="bytes"/> of UTF-8 at <paramref name="text"/>; a null <paramref name="destructor"/> (SQLITE_STATIC) reads them in place until the next bind or step.</summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text"), SuppressGCTransition]
    public static partial int BindText(IntPtr statement, int index, IntPtr text, int bytes, IntPtr destructor);

    // Stepping reads or writes pages (and may wait for a lock): a normal call.
    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    public static partial int Reset(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_libversion_number")]
    private static partial int LibraryVersion();
}
