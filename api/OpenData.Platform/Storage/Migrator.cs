using System.Globalization;
using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace OpenData.Platform.Storage;

/// <summary>
/// Applies the numbered plain-SQL migrations of the dialect in order, each once, recorded in <c>schema_migrations</c>. They come from
/// every <see cref="MigrationSource"/> composed (the platform's assembly, and the sandbox's), in one numbered sequence.
/// </summary>
internal sealed class Migrator(Database database, ILogger<Migrator> logger, IEnumerable<MigrationSource> sources)
{
    private const long AdvisoryLockKey = 0x0DA7A_0001;

    /// <summary>The migrations shipped in this build, in order.</summary>
    public IReadOnlyList<Migration> Available { get; } = LoadMigrations(database.Provider, sources);

    /// <summary>A migrator of other migrations than the shipped ones (tests: one that fails halfway must leave nothing behind).</summary>
    internal Migrator(Database database, ILogger<Migrator> logger, IReadOnlyList<Migration> available) : this(database, logger, Array.Empty<MigrationSource>()) => Available = available;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL;", cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            database.Provider == DatabaseProvider.Postgres
                ? "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)"
                : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            cancellationToken: cancellationToken));

        var applied = 0;
        foreach (var migration in Available)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (database.Provider == DatabaseProvider.Postgres)
            {
                // Several nodes may start at once: one migrates, the others wait and then see it done.
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, transaction, cancellationToken: cancellationToken));
            }
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version = migration.Version }, transaction, cancellationToken: cancellationToken));
            if (done > 0)
            {
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version = migration.Version, name = migration.Name, at = DateTimeOffset.UtcNow }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied migration {Version} {Name} on {Database}", migration.Version, migration.Name, database.Description);
            applied++;
        }
        return applied;
    }

    /// <summary>The highest migration version recorded, or 0 when none (or the table is missing).</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            return await connection.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT MAX(version) FROM schema_migrations", cancellationToken: cancellationToken)) ?? 0;
        }
        catch (System.Data.Common.DbException)
        {
            return 0;
        }
    }

    private static List<Migration> LoadMigrations(DatabaseProvider provider, IEnumerable<MigrationSource> sources)
    {
        var prefix = $"migrations/{(provider == DatabaseProvider.Postgres ? "postgres" : "sqlite")}/";
        var migrations = new List<Migration>();
        foreach (var assembly in sources.Select(s => s.Assembly).Distinct())
        {
            foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
            {
                var file = resource[prefix.Length..];
                var underscore = file.IndexOf('_', StringComparison.Ordinal);
                var version = int.Parse(file[..underscore], CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream);
                migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(file)[(underscore + 1)..], reader.ReadToEnd()));
            }
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        // The modules share one sequence: two files of one number (say 0012 in two modules' folders) would apply in no set order.
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"two migrations are numbered {migrations[i].Version}: {migrations[i - 1].Name} and {migrations[i].Name}; renumber the newer one");
            }
        }
        return migrations;
    }
}

/// <summary>An assembly whose embedded <c>migrations/{postgres,sqlite}/NNNN_name.sql</c> resources the migrator applies.</summary>
internal sealed record MigrationSource(Assembly Assembly)
{
    /// <summary>The platform's own modules' migrations.</summary>
    public static MigrationSource Platform { get; } = new(typeof(Migrator).Assembly);
}

/// <summary>One numbered schema change.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
