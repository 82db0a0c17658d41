using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OpenData.Platform.Storage;
using Spectre.Console;

namespace OpenData.Api.Cli;

/// <summary>
/// <c>backup DIR</c>: a consistent copy of the store taken while the host keeps serving (SQLite's online backup, or
/// <c>pg_dump</c> in custom format), with what it takes to read it back: the KEK file, the Data Protection keys, the audit
/// checkpoints and the policies. Everything is written to a sibling folder that becomes DIR only once its manifest is in.
/// </summary>
internal sealed class StoreBackup(IServiceProvider services)
{
    public const string SqliteFileName = "opendata.db";
    public const string PostgresFileName = "opendata.dump";

    public async Task<int> RunAsync(string directory, bool force, CancellationToken cancellationToken)
    {
        var sources = new BackupSources(services);
        var target = Path.GetFullPath(directory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            if (!force)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{target} is not empty[/]: choose a new folder, or pass --force to replace an earlier backup there");
                return 2;
            }
            if (!File.Exists(Path.Combine(target, BackupManifest.FileName)))
            {
                // --force replaces a backup; it never empties a folder that holds something else.
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{target} is not empty and holds no backup ({BackupManifest.FileName})[/]: --force only replaces an earlier backup");
                return 2;
            }
        }
        string? pgDump = null;
        if (sources.Provider == DatabaseProvider.Postgres && (pgDump = PostgresTools.Find("pg_dump")) is null)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]pg_dump was not found on PATH[/]: {PostgresTools.InstallHint}");
            return 1;
        }

        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var work = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        // The folder will hold the KEK: only its owner may read it, from the first byte written.
        CreatePrivateDirectory(work);
        try
        {
            var kekSource = sources.KekSource;
            var kekId = sources.KekId();
            // Checkpoints before the database: every checkpoint copied then names entries the later snapshot holds, so the
            // restored chain is never behind its own checkpoints.
            CopyIfExists(sources.Checkpoints, Path.Combine(work, BackupSources.CheckpointsFileName));
            if (kekSource == "file")
            {
                CopyIfExists(sources.KekFile, Path.Combine(work, BackupSources.KekFileName));
            }
            CopyFolder(sources.DataProtectionKeys, Path.Combine(work, BackupSources.DataProtectionFolder), "*.xml");
            CopyFolder(sources.Policies, Path.Combine(work, BackupSources.PoliciesFolder), "*");

            int schemaVersion;
            if (sources.Provider == DatabaseProvider.Postgres)
            {
                schemaVersion = await services.GetRequiredService<Migrator>().CurrentVersionAsync(cancellationToken);
                var (exitCode, errors) = await PostgresTools.RunAsync(pgDump!, sources.ConnectionString!,
                    ["--format=custom", "--file", Path.Combine(work, PostgresFileName)], cancellationToken);
                if (exitCode != 0)
                {
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]pg_dump failed ({exitCode})[/]: {errors}");
                    return 1;
                }
            }
            else
            {
                schemaVersion = await BackupSqliteAsync(Path.Combine(work, SqliteFileName), cancellationToken);
            }

            var manifest = new BackupManifest
            {
                CreatedAt = DateTimeOffset.UtcNow,
                Provider = sources.ProviderName,
                SchemaVersion = schemaVersion,
                KeyEncryptionKey = kekSource,
                KeyEncryptionKeyId = kekId,
                PoliciesFrom = Directory.Exists(sources.Policies) ? sources.Policies : null,
                Files = await HashFilesAsync(work, cancellationToken),
            };
            await File.WriteAllTextAsync(Path.Combine(work, BackupManifest.FileName), JsonSerializer.Serialize(manifest, BackupManifest.Json), cancellationToken);

            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
            Directory.Move(work, target);
            Report(sources, target, manifest);
            return 0;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>Copies the live database page by page under one read transaction: WAL lets the host keep writing meanwhile.</summary>
    private async Task<int> BackupSqliteAsync(string destination, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<Database>();
        await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString());
        await copy.OpenAsync(cancellationToken);
        await using (var source = (SqliteConnection)await database.OpenAsync(cancellationToken))
        {
            source.BackupDatabase(copy);
        }
        await using var command = copy.CreateCommand();
        // A single self-contained file (no -wal or -shm beside it); the host turns WAL back on when it migrates at start.
        command.CommandText = "PRAGMA journal_mode=DELETE";
        await command.ExecuteNonQueryAsync(cancellationToken);
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        try
        {
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    private static void Report(BackupSources sources, string target, BackupManifest manifest)
    {
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"[green]backed up[/] {sources.Description} (schema {manifest.SchemaVersion}) to {target}: {manifest.Files.Count} file(s), {manifest.Files.Sum(f => f.Size):N0} bytes");
        switch (manifest.KeyEncryptionKey)
        {
            case "configuration":
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                    $"[yellow]the key-encryption key comes from configuration (OpenData:Auth:KeyEncryptionKey) and is not in the backup[/]: keep it ({manifest.KeyEncryptionKeyId}) where you keep the backup's secrets; without it the restored keys cannot be unsealed");
                break;
            case "file":
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                    $"[yellow]the backup holds the key-encryption key ({BackupSources.KekFileName}, {manifest.KeyEncryptionKeyId})[/]: whoever reads the folder can unseal the platform's keys; store it as you store that key");
                break;
            default:
                AnsiConsole.MarkupLine("[yellow]no key-encryption key yet[/]: the store has not made its keys");
                break;
        }
        if (manifest.PoliciesFrom is null)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]no policies folder at {sources.Policies}[/]: none copied");
        }
    }

    private static async Task<List<BackupFile>> HashFilesAsync(string folder, CancellationToken cancellationToken)
    {
        var files = new List<BackupFile>();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            var hash = await SHA256.HashDataAsync(stream, cancellationToken);
            files.Add(new BackupFile(Path.GetRelativePath(folder, file).Replace('\\', '/'), stream.Length, Convert.ToHexStringLower(hash)));
        }
        return files;
    }

    private static void CopyIfExists(string source, string destination)
    {
        if (File.Exists(source))
        {
            File.Copy(source, destination);
        }
    }

    private static void CopyFolder(string source, string destination, string pattern)
    {
        if (!Directory.Exists(source))
        {
            return;
        }
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, pattern, SearchOption.TopDirectoryOnly))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
