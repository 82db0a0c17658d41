using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;
using SQLitePCL;

namespace OpenData.Platform.Ingestion;

/// <summary>
/// One prepared INSERT in one transaction: the fastest way SQLite takes rows. With SQLite's bundled library (e_sqlite3, which
/// Microsoft.Data.Sqlite loads) the statement is SQLite's own, bound with plain calls: a row's texts are encoded as UTF-8 into
/// one pinned buffer that SQLite reads in place, so a row costs a bind per cell and one step, not Microsoft.Data.Sqlite's
/// parameter objects, boxing and a handle taken and released per call (measured on the 620,573 villages: the load thread's busy
/// time 3.4 s through the parameters, 0.5 s so). With any other SQLite library the parameters serve, as before. The values
/// stored are the same either way (<see cref="SqlDialect.ToParameter"/>). SQLite's default page cache is kept: a larger one
/// (64 MiB) only moved the writing of the new table's pages from the load, which overlaps with parsing, to the commit, which does not.
/// </summary>
internal sealed partial class SqliteRowSink : IRowSink
{
    private const string Library = "e_sqlite3";

    private static readonly bool Native = Probe();

    private readonly DbTransaction _transaction;
    private readonly ColumnType[] _types;
    private readonly SqlDialect _dialect;

    // SQLite's own statement (Native), or the parameters of Microsoft.Data.Sqlite's command.
    private readonly sqlite3_stmt? _statement;
    private readonly IntPtr _handle;
    private byte[] _text = [];
    private IntPtr _textAddress;
    private readonly SqliteCommand? _insert;
    private readonly SqliteParameter[] _parameters = [];

    public SqliteRowSink(DbConnection connection, SqlDialect dialect, string table, IReadOnlyList<ColumnDefinition> columns)
    {
        _dialect = dialect;
        _types = columns.Select(c => c.Type).ToArray();
        _transaction = connection.BeginTransaction();
        var sql = $"INSERT INTO {dialect.Quote(table)} (_row, {string.Join(", ", columns.Select(c => c.PhysicalName))}) " +
            $"VALUES ($r, {string.Join(", ", columns.Select(c => "$" + c.PhysicalName))})";
        if (Native && connection is SqliteConnection { Handle: { } db })
        {
            var result = raw.sqlite3_prepare_v2(db, sql, out var statement);
            if (result != raw.SQLITE_OK)
            {
                statement?.Dispose();
                throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), result);
            }
            _statement = statement;
            _handle = statement.DangerousGetHandle();
            return;
        }
        _insert = (SqliteCommand)connection.CreateCommand();
        _insert.Transaction = (SqliteTransaction)_transaction;
        _insert.CommandText = sql;
        _parameters = new SqliteParameter[columns.Count + 1];
        _parameters[0] = _insert.Parameters.Add("$r", SqliteType.Integer);
        for (var i = 0; i < columns.Count; i++)
        {
            _parameters[i + 1] = _insert.Parameters.Add("$" + columns[i].PhysicalName, dialect.ColumnType(columns[i].Type) switch
            {
                "INTEGER" => SqliteType.Integer,
                "REAL" => SqliteType.Real,
                _ => SqliteType.Text,
            });
        }
        _insert.Prepare();
    }

    public void Add(long row, object?[] values)
    {
        if (_statement is null)
        {
            _parameters[0].Value = row;
            for (var i = 0; i < values.Length; i++)
            {
                var value = values[i];
                _parameters[i + 1].Value = value is null ? DBNull.Value : _dialect.ToParameter(_types[i], value);
            }
            _insert!.ExecuteNonQuery();
            return;
        }
        var statement = _handle;
        Check(BindInt64(statement, 1, row));
        // The texts' room first, so the buffer does not move while SQLite holds pointers into it.
        var room = 0;
        for (var i = 0; i < values.Length; i++)
        {
            room += values[i] switch
            {
                string text => Encoding.UTF8.GetMaxByteCount(text.Length),
                DateOnly or DateTime => 64,
                _ => 0,
            };
        }
        if (_text.Length < room)
        {
            _text = GC.AllocateUninitializedArray<byte>(Math.Max(room, 2 * _text.Length), pinned: true);
            _textAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_text, 0);
        }
        var used = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            var index = i + 2;
            if (value is null)
            {
                Check(BindNull(statement, index));
                continue;
            }
            switch (value is string ? value : _dialect.ToParameter(_types[i], value))
            {
                case string text:
                    var length = Encoding.UTF8.GetBytes(text, _text.AsSpan(used));
                    // SQLITE_STATIC (0): SQLite reads the text where it is, until the next bind or step.
                    Check(BindText(statement, index, _textAddress + used, length, IntPtr.Zero));
                    used += length;
                    break;
                case long n:
                    Check(BindInt64(statement, index, n));
                    break;
                case double d:
                    Check(BindDouble(statement, index, d));
                    break;
                case var other:
                    throw new InvalidOperationException($"no SQLite binding for a {other.GetType().Name} in column {i}");
            }
        }
        var stepped = Step(statement);
        // Reset repeats a failed step's code: the step's own is the one to report.
        _ = Reset(statement);
        if (stepped != raw.SQLITE_DONE)
        {
            Fail(stepped);
        }
    }

    public void Complete() => _transaction.Commit();

    public void Dispose()
    {
        _statement?.Dispose();
        _insert?.Dispose();
        _transaction.Dispose();
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            Fail(result);
        }
    }

    private void Fail(int result) =>
        throw new SqliteException(raw.sqlite3_errmsg(raw.sqlite3_db_handle(_statement)).utf8_to_string(), result);

    /// <summary>Whether Microsoft.Data.Sqlite runs on the bundled e_sqlite3 and its exports answer: then this class calls the very library it uses.</summary>
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

    // The binds copy a pointer and a length into the statement and never call back: no GC transition.
    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64"), SuppressGCTransition]
    private static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_double"), SuppressGCTransition]
    private static partial int BindDouble(IntPtr statement, int index, double value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null"), SuppressGCTransition]
    private static partial int BindNull(IntPtr statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text"), SuppressGCTransition]
    private static partial int BindText(IntPtr statement, int index, IntPtr text, int bytes, IntPtr destructor);

    // Stepping writes pages (and may wait for a lock): a normal call.
    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    private static partial int Step(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    private static partial int Reset(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_libversion_number")]
    private static partial int LibraryVersion();
}
