using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OpenData.Platform.Storage;

/// <summary>The connection factory: opens connections to the configured store and knows its dialect.</summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _sqliteConnectionString = "";

    public Database(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Provider = options.Provider;
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

    public SqlDialect Dialect { get; }

    /// <summary>The SQLite database file (for the operator's backup and restore); null on PostgreSQL.</summary>
    public string? SqliteFile { get; }

    /// <summary>Where the data lives, for logs (never a password).</summary>
    public string Description { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }
        var connection = new SqliteConnection(_sqliteConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var pragma = connection.CreateCommand();
            // WAL is set once by the migrator; synchronous=NORMAL is per connection and safe under WAL.
            pragma.CommandText = "PRAGMA synchronous=NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
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
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
