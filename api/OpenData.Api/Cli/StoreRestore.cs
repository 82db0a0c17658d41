using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using OpenData.Platform.Storage;
using Spectre.Console;

namespace OpenData.Api.Cli;

/// <summary>
/// <c>restore DIR [--force] [--policies]</c>: checks every file of a backup against its manifest before it touches anything,
/// then puts the store back (SQLite: a copy moved into place; PostgreSQL: <c>pg_restore --clean --if-exists</c> in one
/// transaction) with the KEK file, the Data Protection keys and the audit checkpoints. What it replaces is kept beside the
/// original, named <c>….before-restore-STAMP</c>. The policies are put back only with <c>--policies</c>: they are
/// configuration, usually kept in version control, and the folder may be shared by other nodes.
/// </summary>
internal sealed class StoreRestore(IServiceProvider services)
{
    private readonly string _stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public async Task<int> RunAsync(string directory, bool force, bool policies, CancellationToken cancellationToken)
    {
        var sources = new BackupSources(services);
        var backup = Path.GetFullPath(directory);
        var manifest = await ReadVerifiedManifestAsync(backup, cancellationToken);
        if (manifest is null)
        {
            return 1;
        }
        if (manifest.Provider != sources.ProviderName)
        {
            Refuse($"the backup is of a {manifest.Provider} store and this host is configured for {sources.ProviderName}");
            return 2;
        }
        var shipped = services.GetRequiredService<Migrator>().Available.Select(m => m.Version).DefaultIfEmpty(0).Max();
        if (manifest.SchemaVersion > shipped)
        {
            Refuse($"the backup has schema {manifest.SchemaVersion} and this build knows migrations up to {shipped}: restore it with the build that made it, or a newer one");
            return 2;
        }
        if (!CheckKeyEncryptionKey(manifest, sources))
        {
            return 2;
        }

        if (sources.Provider == DatabaseProvider.Postgres)
        {
            var result = await RestorePostgresAsync(backup, sources, force, cancellationToken);
            if (result != 0)
            {
                return result;
            }
        }
        else
        {
            var result = await RestoreSqliteAsync(backup, sources, force, cancellationToken);
            if (result != 0)
            {
                return result;
            }
        }
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"[green]restored[/] {sources.Description} from the backup of {manifest.CreatedAt:u} (schema {manifest.SchemaVersion}); the host migrates it further at its next start");
        RestoreFiles(backup, manifest, sources);
        RestoreOrComparePolicies(backup, manifest, sources, policies);
        return 0;
    }

    /// <summary>The manifest, once every file it lists is present with its size and hash; null (and why, said) otherwise.</summary>
    private static async Task<BackupManifest?> ReadVerifiedManifestAsync(string backup, CancellationToken cancellationToken)
    {
        var path = Path.Combine(backup, BackupManifest.FileName);
        if (!File.Exists(path))
        {
            Refuse($"{backup} holds no {BackupManifest.FileName}: it is not a backup, or one that never finished");
            return null;
        }
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(path, cancellationToken), BackupManifest.Json);
        }
        catch (JsonException e)
        {
            Refuse($"{path} is not a readable manifest: {e.Message}");
            return null;
        }
        if (manifest is null || manifest.Format != BackupManifest.CurrentFormat)
        {
            Refuse($"{path} is not a manifest of format {BackupManifest.CurrentFormat}");
            return null;
        }
        var database = manifest.Provider == "postgres" ? StoreBackup.PostgresFileName : StoreBackup.SqliteFileName;
        if (!manifest.Files.Any(f => f.Path == database))
        {
            Refuse($"the manifest lists no {database}: the backup is incomplete");
            return null;
        }
        var problems = new List<string>();
        foreach (var file in manifest.Files)
        {
            var full = Path.GetFullPath(Path.Combine(backup, file.Path));
            if (!full.StartsWith(backup + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                problems.Add($"{file.Path}: outside the backup folder");
                continue;
            }
            if (!File.Exists(full))
            {
                problems.Add($"{file.Path}: missing");
                continue;
            }
            await using var stream = File.OpenRead(full);
            if (stream.Length != file.Size)
            {
                problems.Add($"{file.Path}: {stream.Length:N0} bytes, the manifest says {file.Size:N0}");
                continue;
            }
            if (!string.Equals(Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)), file.Sha256, StringComparison.Ordinal))
            {
                problems.Add($"{file.Path}: its SHA-256 differs from the manifest's");
            }
        }
        if (problems.Count > 0)
        {
            Refuse($"the backup at {backup} does not match its manifest; nothing was restored");
            foreach (var problem in problems)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  {problem}");
            }
            return null;
        }
        return manifest;
    }

    /// <summary>The keys in the backup are sealed under one KEK; the host must be going to run with that one.</summary>
    private static bool CheckKeyEncryptionKey(BackupManifest manifest, BackupSources sources)
    {
        if (manifest.KeyEncryptionKeyId is null)
        {
            return true;
        }
        if (sources.ConfiguredKek is not null)
        {
            // Configuration wins over the file, so it is the one that has to match, whatever the backup carries.
            var configured = sources.KekId();
            if (configured != manifest.KeyEncryptionKeyId)
            {
                Refuse($"OpenData:Auth:KeyEncryptionKey is {configured}, but the backup's keys are sealed under {manifest.KeyEncryptionKeyId}: " +
                    (manifest.KeyEncryptionKey == "file"
                        ? $"remove that setting so the backup's {BackupSources.KekFileName} is used, or set it to that key"
                        : "set it to the key that was configured when the backup was made"));
                return false;
            }
            return true;
        }
        if (manifest.KeyEncryptionKey == "configuration")
        {
            Refuse($"the backup's keys are sealed under a KEK from configuration ({manifest.KeyEncryptionKeyId}) that is not in the backup: set OpenData:Auth:KeyEncryptionKey to it");
            return false;
        }
        return true;
    }

    private async Task<int> RestoreSqliteAsync(string backup, BackupSources sources, bool force, CancellationToken cancellationToken)
    {
        var live = sources.SqliteFile!;
        var exists = File.Exists(live);
        if (exists && !force)
        {
            Refuse($"{live} exists: pass --force to replace it (it is kept as {Path.GetFileName(live)}.before-restore-{_stamp})");
            return 2;
        }
        if (ServingLock.IsHeld(live) || (exists && InUse(live)))
        {
            Refuse($"{live} is served by a running host or open in another process: stop every host that serves it, then restore");
            return 2;
        }
        var incoming = live + ".restoring";
        File.Copy(Path.Combine(backup, StoreBackup.SqliteFileName), incoming, overwrite: true);
        await using (var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = incoming, Pooling = false }.ToString()))
        {
            await check.OpenAsync(cancellationToken);
            await using var command = check.CreateCommand();
            command.CommandText = "PRAGMA quick_check";
            if (await command.ExecuteScalarAsync(cancellationToken) is not "ok")
            {
                File.Delete(incoming);
                Refuse("the backup's database fails SQLite's quick_check; nothing was restored");
                return 1;
            }
        }
        if (exists)
        {
            // The old WAL belongs to the old file: left beside the restored one, SQLite would replay it into it.
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                if (File.Exists(live + suffix))
                {
                    File.Move(live + suffix, $"{live}.before-restore-{_stamp}{suffix}");
                }
            }
        }
        File.Move(incoming, live);
        return 0;
    }

    /// <summary>
    /// Whether another connection has the database open. Every WAL connection holds a shared lock while it lives (the host's
    /// pool keeps some open while it serves), so an exclusive lock is granted only when nobody else is there.
    /// </summary>
    private static bool InUse(string file)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 0, Mode = SqliteOpenMode.ReadWrite }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;";
        try
        {
            command.ExecuteNonQuery();
            return false;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            return true;
        }
    }

    private static async Task<int> RestorePostgresAsync(string backup, BackupSources sources, bool force, CancellationToken cancellationToken)
    {
        var pgRestore = PostgresTools.Find("pg_restore");
        if (pgRestore is null)
        {
            Refuse($"pg_restore was not found on PATH: {PostgresTools.InstallHint}");
            return 1;
        }
        var connectionString = new NpgsqlConnectionStringBuilder(sources.ConnectionString) { Pooling = false, ApplicationName = "opendata-restore" }.ToString();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var present = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
            if ((bool)(await present.ExecuteScalarAsync(cancellationToken))! && !force)
            {
                Refuse($"{sources.Description} already holds a store: pass --force to replace what the backup holds (tables made since stay as they are), or restore into an empty database");
                return 2;
            }
            await using var others = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'", connection);
            var sessions = (long)(await others.ExecuteScalarAsync(cancellationToken))!;
            if (sessions > 0)
            {
                Refuse($"{sessions} other session(s) are connected to {sources.Description}: stop every host that serves it, then restore");
                return 2;
            }
        }
        var database = new NpgsqlConnectionStringBuilder(sources.ConnectionString).Database!;
        // One transaction: a restore that fails half-way leaves the database as it was.
        var (exitCode, errors) = await PostgresTools.RunAsync(pgRestore, sources.ConnectionString!,
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname", database, Path.Combine(backup, StoreBackup.PostgresFileName)],
            cancellationToken);
        if (exitCode != 0)
        {
            Refuse($"pg_restore failed ({exitCode}); the database was left as it was: {errors}");
            return 1;
        }
        return 0;
    }

    /// <summary>The KEK file, the Data Protection keys and the audit checkpoints of the backup's time.</summary>
    private void RestoreFiles(string backup, BackupManifest manifest, BackupSources sources)
    {
        Directory.CreateDirectory(sources.DataDirectory);
        if (manifest.Files.Any(f => f.Path == BackupSources.KekFileName))
        {
            ReplaceFile(Path.Combine(backup, BackupSources.KekFileName), sources.KekFile);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(sources.KekFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  key-encryption key → {sources.KekFile}");
        }
        var keys = manifest.Files.Where(f => f.Path.StartsWith(BackupSources.DataProtectionFolder + "/", StringComparison.Ordinal)).ToList();
        if (keys.Count > 0)
        {
            // Keys made since the backup stay: they protect cookies issued since, and the ring reads every file in the folder.
            Directory.CreateDirectory(sources.DataProtectionKeys);
            foreach (var key in keys)
            {
                File.Copy(Path.Combine(backup, key.Path), Path.Combine(sources.DataProtectionKeys, Path.GetFileName(key.Path)), overwrite: true);
            }
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  {keys.Count} Data Protection key(s) → {sources.DataProtectionKeys}");
        }
        // The current checkpoints may name entries the restore took away, which verify would rightly call a rollback; they are
        // kept aside, not deleted, as the record of what the restore undid.
        if (manifest.Files.Any(f => f.Path == BackupSources.CheckpointsFileName))
        {
            ReplaceFile(Path.Combine(backup, BackupSources.CheckpointsFileName), sources.Checkpoints);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  audit checkpoints → {sources.Checkpoints}");
        }
        else if (File.Exists(sources.Checkpoints))
        {
            File.Move(sources.Checkpoints, $"{sources.Checkpoints}.before-restore-{_stamp}");
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  the backup had no audit checkpoints: the current ones are kept as {sources.Checkpoints}.before-restore-{_stamp}");
        }
    }

    private void RestoreOrComparePolicies(string backup, BackupManifest manifest, BackupSources sources, bool put)
    {
        var files = manifest.Files.Where(f => f.Path.StartsWith(BackupSources.PoliciesFolder + "/", StringComparison.Ordinal)).ToList();
        if (files.Count == 0)
        {
            return;
        }
        var differing = files.Where(f =>
        {
            var current = Path.Combine(sources.Policies, Path.GetFileName(f.Path));
            return !File.Exists(current) || !string.Equals(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(current))), f.Sha256, StringComparison.Ordinal);
        }).ToList();
        if (differing.Count == 0)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  policies: {sources.Policies} is as it was at the backup");
            return;
        }
        if (!put)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"  [yellow]policies differ from the backup's[/] ({string.Join(", ", differing.Select(f => Path.GetFileName(f.Path)))}): they are in {Path.Combine(backup, BackupSources.PoliciesFolder)}; pass --policies to put them into {sources.Policies}");
            return;
        }
        Directory.CreateDirectory(sources.Policies);
        foreach (var file in differing)
        {
            ReplaceFile(Path.Combine(backup, file.Path), Path.Combine(sources.Policies, Path.GetFileName(file.Path)));
        }
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  {differing.Count} policy file(s) → {sources.Policies}");
    }

    /// <summary>Puts <paramref name="source"/> at <paramref name="destination"/>, keeping a different file already there aside.</summary>
    private void ReplaceFile(string source, string destination)
    {
        if (File.Exists(destination))
        {
            if (File.ReadAllBytes(destination).AsSpan().SequenceEqual(File.ReadAllBytes(source)))
            {
                return;
            }
            File.Move(destination, $"{destination}.before-restore-{_stamp}");
        }
        File.Copy(source, destination);
    }

    private static void Refuse(string message) =>
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]restore refused[/]: {message}");
}
