using OpenData.Platform.Storage;

namespace OpenData.Tests.Infrastructure;

/// <summary>
/// An empty store with no host in front of it — a new SQLite file, or a new PostgreSQL database — for tests of the storage
/// layer itself (dialects, migrations). Dropped on dispose.
/// </summary>
internal sealed class BareStore : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string? _postgres;

    private BareStore(string directory, string? postgres, Database database)
    {
        _directory = directory;
        _postgres = postgres;
        Database = database;
    }

    public Database Database { get; }

    public SqlDialect Dialect => Database.Dialect;

    public static async Task<BareStore> CreateAsync(string database)
    {
        // A folder of this user's own: a shared parent made by another user would refuse us (as tests/clean-clone.sh found).
        var directory = Directory.CreateTempSubdirectory("opendata-store-").FullName;
        var postgres = database == Db.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        var options = new DatabaseOptions
        {
            Provider = postgres is null ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres,
            ConnectionString = postgres,
            DataDirectory = directory,
        };
        return new BareStore(directory, postgres, new Database(options));
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (_postgres is not null)
        {
            await PostgresServer.DropDatabaseAsync(_postgres);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
