using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OpenData.Platform.Storage;

/// <summary>The connection factory: opens connections to the configured store and knows its dialect.</summary>
internal sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;

    // Connections for statements a caller shaped: the server stops each after StatementTimeout (a pool of its own, since the
    // limit rides in the startup packet and survives Npgsql's reset of a returned connection).
    private readonly NpgsqlDataSource? _postgresQueries;
    private readonly string _sqliteConnectionString = "";

    public Database(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Provider = options.Provider;
        StatementTimeout = options.StatementTimeoutSeconds > 0 ? TimeSpan.FromSeconds(options.StatementTimeoutSeconds) : null;
        if (options.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                throw new InvalidOperationException(
                    "OpenData__Database__Provider is postgres but ConnectionStrings__OpenData is empty: set it to an Npgsql connection string.");
            }
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                // The read path repeats a few statement shapes; prepared once per connection they skip parse and plan.
                builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            }
            _postgres = builder.Build();
            if (options.StatementTimeoutSeconds > 0)
            {
                var limited = new NpgsqlDataSourceBuilder(builder.ConnectionString);
                var milliseconds = Math.Max(1, (long)Math.Ceiling(options.StatementTimeoutSeconds * 1000));
                limited.ConnectionStringBuilder.Options = $"{limited.ConnectionStringBuilder.Options} -c statement_timeout={milliseconds}".Trim();
                _postgresQueries = limited.Build();
            }
            Dialect = new PostgresDialect();
            Description = $"postgres {new NpgsqlConnectionStringBuilder(options.ConnectionString).Host}/{new NpgsqlConnectionStringBuilder(options.ConnectionString).Database}";
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(
                string.IsNullOrWhiteSpace(options.ConnectionString)
                    ? $"Data Source={Path.Combine(options.DataDirectory, "opendata.db")}"
                    : options.ConnectionString)
            {
                ForeignKeys = true,
                Pooling = true,
                DefaultTimeout = 30,
            };
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
            _sqliteConnectionString = builder.ToString();
            SqliteFile = Path.GetFullPath(builder.DataSource);
            Dialect = new SqliteDialect();
            Description = $"sqlite {builder.DataSource}";
        }
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The limit on one statement a caller shaped (<see cref="OpenForCallerQueryAsync"/>); null when switched off.</summary>
    public TimeSpan? StatementTimeout { get; }

    public SqlDialect Dialect { get; }

    /// <summary>The SQLite database file (for the operator's backup and restore); null on PostgreSQL.</summary>
    public string? SqliteFile { get; }

    /// <summary>Where the data lives, for logs (never a password).</summary>
    public string Description { get; }

    /// <summary>A connection for the platform's own statements: no time limit.</summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(limited: false, cancellationToken);

    /// <summary>
    /// A connection for one statement a caller shaped (a page with its <c>where</c> and <c>order_by</c>, a count): the store stops
    /// the statement after <see cref="StatementTimeout"/>, and the failure classifies as <see cref="StoreFailure.StatementTimeout"/>.
    /// On SQLite the limit runs from the open, so open it just before the statement and dispose it right after.
    /// </summary>
    public Task<DbConnection> OpenForCallerQueryAsync(CancellationToken cancellationToken = default) => OpenAsync(limited: true, cancellationToken);

    /// <summary>
    /// Tells the factory a statement failed: when the store was unreachable, pooled connections are dropped, so the first
    /// requests after it is back get fresh connections instead of the dead sockets of before.
    /// </summary>
    public void ReportFailure(Exception exception)
    {
        if (StoreFailures.Classify(exception) == StoreFailure.Unavailable)
        {
            _postgres?.Clear();
            _postgresQueries?.Clear();
        }
    }

    private async Task<DbConnection> OpenAsync(bool limited, CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await (limited ? _postgresQueries ?? _postgres : _postgres).OpenConnectionAsync(cancellationToken);
        }
        var connection = new SqliteConnection(_sqliteConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var pragma = connection.CreateCommand();
            // WAL is set once by the migrator; synchronous=NORMAL is per connection and safe under WAL.
            pragma.CommandText = "PRAGMA synchronous=NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            Limit(connection, limited ? StatementTimeout : null);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a connection synchronously, for the bulk loader that runs on its own thread.</summary>
    public DbConnection Open()
    {
        if (_postgres is not null)
        {
            return _postgres.OpenConnection();
        }
        var connection = new SqliteConnection(_sqliteConnectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
        Limit(connection, null);
        return connection;
    }

    /// <summary>
    /// SQLite has no statement timeout: a progress handler, called every thousand virtual-machine steps, interrupts the statement
    /// once the deadline has passed (SQLITE_INTERRUPT). The handle is pooled, so every open sets the handler or clears it.
    /// </summary>
    private static void Limit(SqliteConnection connection, TimeSpan? limit)
    {
        if (limit is { } span)
        {
            var deadline = Environment.TickCount64 + (long)Math.Ceiling(span.TotalMilliseconds);
            SQLitePCL.raw.sqlite3_progress_handler(connection.Handle, 1000, static state => Environment.TickCount64 >= (long)state ? 1 : 0, deadline);
        }
        else
        {
            SQLitePCL.raw.sqlite3_progress_handler(connection.Handle, 0, null, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        if (_postgresQueries is not null)
        {
            await _postgresQueries.DisposeAsync();
        }
    }
}
