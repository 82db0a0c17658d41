using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OpenData.Platform.Storage;

/// <summary>Sorts exceptions of the drivers (and of the file system under them) into <see cref="StoreFailure"/>s.</summary>
internal static class StoreFailures
{
    private const int SqliteInterrupt = 9;
    private const int SqliteFull = 13;
    private const int SqliteConstraint = 19;
    private const int Enospc = 28;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>The first failure the platform recognises in <paramref name="exception"/> or the exceptions inside it.</summary>
    public static StoreFailure Classify(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    // The server said why: its SQLSTATE decides, whatever wraps it.
                    return postgres.SqlState switch
                    {
                        // statement_timeout (and an operator's pg_cancel_backend): the server stopped the statement.
                        PostgresErrorCodes.QueryCanceled => StoreFailure.StatementTimeout,
                        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                            or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.DatabaseDropped => StoreFailure.Unavailable,
                        PostgresErrorCodes.DiskFull => StoreFailure.Full,
                        { } state when state.StartsWith("08", StringComparison.Ordinal) => StoreFailure.Unavailable,
                        _ => StoreFailure.None,
                    };
                case NpgsqlException { IsTransient: true }:
                    // No answer from the server at all: refused, reset, cut off mid-stream, or the connect timed out.
                    return StoreFailure.Unavailable;
                case SqliteException { SqliteErrorCode: SqliteFull }:
                    return StoreFailure.Full;
                case SqliteException { SqliteErrorCode: SqliteInterrupt }:
                    // Interrupted by the progress handler Database installs on caller-query connections.
                    return StoreFailure.StatementTimeout;
                case IOException { HResult: Enospc or WindowsDiskFull or WindowsHandleDiskFull }:
                    return StoreFailure.Full;
                case SocketException:
                    return StoreFailure.Unavailable;
            }
        }
        return StoreFailure.None;
    }

    /// <summary>Whether a unique key (or primary key) refused the write, rather than the store failing: PostgreSQL 23505, SQLite's constraint error.</summary>
    public static bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or SqliteException { SqliteErrorCode: SqliteConstraint };
}
