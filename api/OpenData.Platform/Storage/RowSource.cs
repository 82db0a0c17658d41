using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using OpenData.Platform.Datasets;
using SQLitePCL;

namespace OpenData.Platform.Storage;

/// <summary>
/// A forward-only read of one query's rows, cell by cell as the dialect stores them (<see cref="SqlDialect.ReadCell"/>). On
/// SQLite it reads SQLite's own statement (<see cref="SqliteRowSource"/>); elsewhere an ADO.NET data reader.
/// </summary>
internal abstract class RowSource : IAsyncDisposable
{
    /// <summary>
    /// The rows of <paramref name="sql"/> in <paramref name="database"/>, read the fastest way its store allows: on SQLite from a
    /// read-only handle of the file of its own, otherwise through a connection of the database's pool and a data reader, both
    /// held by the source until it is disposed.
    /// </summary>
    public static async Task<RowSource> OpenAsync(Database database, string sql, DynamicParameters? parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.SqliteFile is { } file && SqliteRowSource.TryOpen(file, sql, parameters) is { } fast)
        {
            return fast;
        }
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
            return new ReaderRowSource(connection, reader, database.Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves to the next row; false after the last.</summary>
    public abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    /// <summary>The cell at <paramref name="ordinal"/> of the current row, as <see cref="SqlDialect.ReadCell"/> reads it.</summary>
    public abstract object? Cell(int ordinal, ColumnType type);

    public abstract ValueTask DisposeAsync();

    private sealed class ReaderRowSource(DbConnection connection, DbDataReader reader, SqlDialect dialect) : RowSource
    {
        public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken) => await reader.ReadAsync(cancellationToken);

        public override object? Cell(int ordinal, ColumnType type) => dialect.ReadCell(reader, ordinal, type);

        public override async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

/// <summary>
/// Reads a query's rows from SQLite's statement itself, on a read-only handle of its own opened without SQLite's per-connection
/// mutex (one thread reads it, start to end). Through Microsoft.Data.Sqlite's data reader a cell takes about five calls into
/// SQLite, each taking and releasing the statement's SafeHandle and, inside SQLite, the connection's mutex (a fifth of an
/// export's CPU went to <c>pthread_mutex_lock</c> and <c>unlock</c>, measured with perf); here three plain calls and no lock. A
/// text equal to the same column's text in the row before is that same string, not a new one (codes repeat row after row in
/// most open data). Only with SQLite's bundled library (e_sqlite3), which Microsoft.Data.Sqlite loads, and a database file;
/// otherwise <see cref="TryOpen"/> declines and the data reader serves.
/// </summary>
internal sealed unsafe class SqliteRowSource : RowSource
{
    private const int SqliteNull = 5;
    private const int CheckCancellationEvery = 4096;

    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle;
    private readonly string?[] _lastText;
    private readonly byte[][] _lastBytes;
    private readonly int[] _lastLength;
    private long _rows;
    private bool _done;

    private SqliteRowSource(sqlite3 database, sqlite3_stmt statement, int columns)
    {
        _database = database;
        _statement = statement;
        _handle = statement.DangerousGetHandle();
        _lastText = new string?[columns];
        _lastBytes = new byte[columns][];
        _lastLength = new int[columns];
        for (var i = 0; i < columns; i++)
        {
            _lastBytes[i] = [];
            _lastLength[i] = -1;
        }
    }

    /// <summary>
    /// The statement prepared and bound on a read-only handle of the database <paramref name="file"/>, or null when this way is not
    /// open (another SQLite library, no such file, a parameter of a kind it does not bind, a statement SQLite refuses: the data
    /// reader then raises SQLite's error the usual way).
    /// </summary>
    public static SqliteRowSource? TryOpen(string file, string sql, DynamicParameters? parameters)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!SqliteNative.Available || !File.Exists(file))
        {
            return null;
        }
        if (raw.sqlite3_open_v2(file, out var database, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX, null) != raw.SQLITE_OK)
        {
            database?.Dispose();
            return null;
        }
        raw.sqlite3_busy_timeout(database, 30_000);
        if (raw.sqlite3_prepare_v2(database, sql, out var statement) != raw.SQLITE_OK)
        {
            statement?.Dispose();
            database.Dispose();
            // Let the data reader raise SQLite's error the usual way (a missing table after a publish elsewhere, above all).
            return null;
        }
        if (!Bind(statement, parameters))
        {
            statement.Dispose();
            database.Dispose();
            return null;
        }
        return new SqliteRowSource(database, statement, raw.sqlite3_column_count(statement));
    }

    private static bool Bind(sqlite3_stmt statement, DynamicParameters? parameters)
    {
        if (parameters is null)
        {
            return raw.sqlite3_bind_parameter_count(statement) == 0;
        }
        var lookup = (SqlMapper.IParameterLookup)parameters;
        var bound = 0;
        foreach (var name in parameters.ParameterNames)
        {
            var index = raw.sqlite3_bind_parameter_index(statement, name[0] is '@' or '$' or ':' ? name : "@" + name);
            if (index == 0)
            {
                // A parameter the statement does not name: the data reader decides what that means.
                return false;
            }
            bound++;
            var result = lookup[name] switch
            {
                null or DBNull => raw.sqlite3_bind_null(statement, index),
                string text => raw.sqlite3_bind_text(statement, index, text),
                long n => raw.sqlite3_bind_int64(statement, index, n),
                int n => raw.sqlite3_bind_int64(statement, index, n),
                double d => raw.sqlite3_bind_double(statement, index, d),
                bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
                _ => -1,
            };
            if (result != raw.SQLITE_OK)
            {
                return false;
            }
        }
        // Every parameter of the statement bound, none left to read as NULL.
        return bound == raw.sqlite3_bind_parameter_count(statement);
    }

    public override ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return ValueTask.FromResult(false);
        }
        if (++_rows % CheckCancellationEvery == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW)
        {
            return ValueTask.FromResult(true);
        }
        _done = true;
        if (result != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_database).utf8_to_string(), result);
        }
        return ValueTask.FromResult(false);
    }

    public override object? Cell(int ordinal, ColumnType type)
    {
        if (type == Datasets.ColumnType.String)
        {
            // One call fewer for text, the most common cell: SQLite answers a null pointer for NULL (and for a failed allocation, told apart here).
            var text = SqliteNative.ColumnText(_handle, ordinal);
            if (text == IntPtr.Zero)
            {
                return SqliteNative.ColumnType(_handle, ordinal) == SqliteNull ? null : throw new SqliteException("out of memory reading a text cell", raw.SQLITE_NOMEM);
            }
            return Text(ordinal, text);
        }
        if (SqliteNative.ColumnType(_handle, ordinal) == SqliteNull)
        {
            return null;
        }
        return type switch
        {
            Datasets.ColumnType.Integer => SqliteNative.ColumnInt64(_handle, ordinal),
            Datasets.ColumnType.Decimal => SqliteNative.ColumnDouble(_handle, ordinal),
            Datasets.ColumnType.Boolean => SqliteNative.ColumnInt64(_handle, ordinal) != 0,
            Datasets.ColumnType.Date => DateOnly.ParseExact(Text(ordinal), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Datasets.ColumnType.Datetime => DateTime.ParseExact(Text(ordinal), SqliteDialect.DatetimeStorageFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    /// <summary>The cell's text; the same string as the row before's when the bytes are the same.</summary>
    private string Text(int ordinal) => Text(ordinal, SqliteNative.ColumnText(_handle, ordinal));

    /// <summary>The text at <paramref name="utf8"/> (what sqlite3_column_text answered for the cell, never null).</summary>
    private string Text(int ordinal, IntPtr utf8)
    {
        var bytes = new ReadOnlySpan<byte>((void*)utf8, SqliteNative.ColumnBytes(_handle, ordinal));
        if (_lastLength[ordinal] == bytes.Length && bytes.SequenceEqual(_lastBytes[ordinal].AsSpan(0, bytes.Length)))
        {
            return _lastText[ordinal]!;
        }
        var text = Encoding.UTF8.GetString(bytes);
        if (_lastBytes[ordinal].Length < bytes.Length)
        {
            _lastBytes[ordinal] = new byte[Math.Max(bytes.Length, 64)];
        }
        bytes.CopyTo(_lastBytes[ordinal]);
        _lastLength[ordinal] = bytes.Length;
        _lastText[ordinal] = text;
        return text;
    }

    public override ValueTask DisposeAsync()
    {
        _statement.Dispose();
        _database.Dispose();
        return ValueTask.CompletedTask;
    }
}
