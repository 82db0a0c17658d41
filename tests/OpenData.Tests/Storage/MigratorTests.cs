using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using OpenData.Platform.Storage;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Storage;

/// <summary>The numbered plain-SQL migrations, applied to an empty store of each engine: in order, once, and each all or nothing.</summary>
public sealed class MigratorTests
{
    /// <summary>What the host composes: the platform's migrations and the sandbox's, one sequence.</summary>
    internal static readonly MigrationSource[] Sources = [MigrationSource.Platform, new(typeof(OpenData.Sandbox.SandboxModule).Assembly)];

    private static Migrator Shipped(BareStore store) => new(store.Database, NullLogger<Migrator>.Instance, Sources);

    /// <summary>Every table and column of the store, with its type: what a second run must leave exactly as it was.</summary>
    private static async Task<List<string>> SchemaAsync(BareStore store)
    {
        await using var connection = await store.Database.OpenAsync();
        var sql = store.Database.Provider == DatabaseProvider.Postgres
            ? "SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1"
            : "SELECT m.name || '.' || p.name || ' ' || p.type FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1";
        return (await connection.QueryAsync<string>(sql)).ToList();
    }

    private static async Task<List<(long Version, string Name, string AppliedAt)>> RecordedAsync(BareStore store)
    {
        await using var connection = await store.Database.OpenAsync();
        return (await connection.QueryAsync<(long, string, string)>(
            "SELECT CAST(version AS bigint), name, CAST(applied_at AS text) FROM schema_migrations ORDER BY version")).ToList();
    }

    private static async Task<long> TablesNamedAsync(BareStore store, string table)
    {
        await using var connection = await store.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(store.Database.Provider == DatabaseProvider.Postgres
            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = @table"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table", new { table });
    }

    [Fact]
    public async Task Both_engines_ship_the_same_numbered_migrations_without_gaps()
    {
        await using var sqliteStore = new Database(new DatabaseOptions { DataDirectory = Path.GetTempPath() });
        var sqlite = new Migrator(sqliteStore, NullLogger<Migrator>.Instance, Sources).Available;
        Assert.NotEmpty(sqlite);
        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite.Select(m => m.Version));
        // Built, not connected: the PostgreSQL list comes from the same build's resources.
        await using var postgresStore = new Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=127.0.0.1;Database=unused" });
        var postgres = new Migrator(postgresStore, NullLogger<Migrator>.Instance, Sources).Available;
        Assert.Equal(sqlite.Select(m => (m.Version, m.Name)), postgres.Select(m => (m.Version, m.Name)));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_empty_store_reaches_the_latest_version_and_a_second_run_changes_nothing(string db)
    {
        await using var store = await BareStore.CreateAsync(db);
        var migrator = Shipped(store);
        Assert.Equal(0, await migrator.CurrentVersionAsync());

        Assert.Equal(migrator.Available.Count, await migrator.MigrateAsync());
        Assert.Equal(migrator.Available[^1].Version, await migrator.CurrentVersionAsync());
        var recorded = await RecordedAsync(store);
        Assert.Equal(migrator.Available.Select(m => ((long)m.Version, m.Name)), recorded.Select(r => (r.Version, r.Name)));
        var schema = await SchemaAsync(store);
        Assert.Contains(schema, c => c.StartsWith("audit_log.seq ", StringComparison.Ordinal));

        // Again, and from a second migrator as another node starting on the same store would: nothing applied, nothing changed.
        Assert.Equal(0, await migrator.MigrateAsync());
        Assert.Equal(0, await Shipped(store).MigrateAsync());
        Assert.Equal(recorded, await RecordedAsync(store));
        Assert.Equal(schema, await SchemaAsync(store));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_migration_that_fails_halfway_leaves_nothing_of_itself_and_the_next_start_applies_it_once_fixed(string db)
    {
        await using var store = await BareStore.CreateAsync(db);
        var shipped = Shipped(store).Available;
        var next = shipped[^1].Version + 1;
        // Its first statements succeed (a table, a row, a column added to a shipped table); the last one fails.
        const string Good = "CREATE TABLE half_done (id integer PRIMARY KEY); INSERT INTO half_done (id) VALUES (1); ALTER TABLE themes ADD COLUMN half_done_flag integer; ";
        var failing = new Migrator(store.Database, NullLogger<Migrator>.Instance, [.. shipped, new Migration(next, "half_done", Good + "INSERT INTO no_such_table VALUES (1);")]);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => failing.MigrateAsync());

        // The shipped migrations before it are applied and recorded; of the failing one, not a trace.
        Assert.Equal(shipped[^1].Version, await failing.CurrentVersionAsync());
        Assert.Equal(0, await TablesNamedAsync(store, "half_done"));
        Assert.DoesNotContain(await SchemaAsync(store), c => c.Contains("half_done_flag", StringComparison.Ordinal));

        // Fixed, it applies once, whole.
        var fixedMigrator = new Migrator(store.Database, NullLogger<Migrator>.Instance, [.. shipped, new Migration(next, "half_done", Good)]);
        Assert.Equal(1, await fixedMigrator.MigrateAsync());
        Assert.Equal(next, await fixedMigrator.CurrentVersionAsync());
        Assert.Equal(1, await TablesNamedAsync(store, "half_done"));
        Assert.Contains(await SchemaAsync(store), c => c.StartsWith("themes.half_done_flag ", StringComparison.Ordinal));
        Assert.Equal(0, await fixedMigrator.MigrateAsync());
    }
}
