using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Cli;

/// <summary>
/// <c>backup</c> and <c>restore</c>, run as the real binary: each test is the fault an operator meets — the store and its data
/// folder lost, a backup taken under load, a backup damaged on its way — and ends by reading back through the API.
/// </summary>
public sealed class BackupRestoreTests
{
    // A fixed issuer, as in production: the restarted host listens on another port and must accept the tokens issued before.
    private static readonly Dictionary<string, string?> Settings = new() { ["OpenData:Auth:Issuer"] = "https://opendata.test/" };

    [DatabaseTheory, OnEachDatabase]
    public async Task A_store_and_data_folder_lost_after_a_backup_come_back_with_rows_keys_tokens_and_a_verifying_audit_chain(string db)
    {
        var host = await PlatformHost.StartAsync(db, Settings);
        var folder = NewBackupFolder();
        try
        {
            await host.CreateDatasetAsync(host.Owner(), "kept", "open", ("code", "string"), ("population", "integer"));
            await host.UploadAsync(host.Owner(), "kept", "code,population\na,1\nb,2\nc,3\n");
            var (clientId, secret, appId) = await CreateAppAsync(host, "before");
            var token = await AccessTokenAsync(host, clientId, secret);
            await AccessScenarios.GrantLifeAsync(host);
            // A graceful stop signs a checkpoint of the chain: the backup carries one to verify against.
            host = await host.RestartAsync();
            var environment = OperatorProcess.EnvironmentFor(host);

            var backup = await OperatorProcess.RunAsync(environment, "backup", folder);
            Assert.True(backup.ExitCode == 0, backup.Output);
            Assert.True(File.Exists(Path.Combine(folder, "manifest.json")), backup.Output);
            Assert.True(File.Exists(Path.Combine(folder, "auth-kek.bin")), backup.Output);
            Assert.True(File.Exists(Path.Combine(folder, "audit-checkpoints.jsonl")), backup.Output);
            var keysAtBackup = DataProtectionKeys(host.DataDirectory);
            Assert.NotEmpty(keysAtBackup);

            // What happens after the backup is what the restore takes away.
            await host.UploadAsync(host.Owner(), "kept", "code,population\nz,26\n");
            var (_, _, laterAppId) = await CreateAppAsync(host, "after");

            host = await host.RestartAsync(whileStopped: async () =>
            {
                await LoseEverythingAsync(host);
                var restore = await OperatorProcess.RunAsync(environment, "restore", folder);
                Assert.True(restore.ExitCode == 0, restore.Output);
            });

            var detail = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/kept"));
            Assert.Equal(1, detail["version"]!.GetValue<int>());
            var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/kept/records"));
            Assert.Equal(["a", "b", "c"], page["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()));

            // The signing keys came back sealed under the KEK that came back: a token issued before the loss still works.
            Assert.Equal(HttpStatusCode.OK, (await Bearer(host, token).GetAsync("/v1/me")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Bearer(host, await AccessTokenAsync(host, clientId, secret)).GetAsync("/v1/me")).StatusCode);
            Assert.Equal(DataProtectionKeys(folder), keysAtBackup);
            Assert.Equal(keysAtBackup, DataProtectionKeys(host.DataDirectory).Intersect(keysAtBackup));

            var operatorClient = AccessScenarios.Platform(host);
            var verify = await PlatformHost.ReadJsonAsync(await operatorClient.GetAsync("/v1/audit/verify"));
            Assert.True(verify["ok"]!.GetValue<bool>(), verify.ToJsonString());
            Assert.NotNull(verify["checkpoint"]);
            var full = await PlatformHost.ReadJsonAsync(await operatorClient.GetAsync("/v1/audit/verify?full=true"));
            Assert.True(full["ok"]!.GetValue<bool>(), full.ToJsonString());
            Assert.Equal(1L, await CountAsync(host, $"SELECT COUNT(*) FROM audit_log WHERE type = 'app.created' AND subject = '{appId}'"));
            Assert.Equal(0L, await CountAsync(host, $"SELECT COUNT(*) FROM apps WHERE id = '{laterAppId}'"));
        }
        finally
        {
            await host.DisposeAsync();
            DeleteFolder(folder);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_backup_taken_while_the_host_keeps_writing_restores_to_one_moment_and_restore_waits_for_the_host_to_stop(string db)
    {
        var host = await PlatformHost.StartAsync(db, Settings);
        var folder = NewBackupFolder();
        try
        {
            var op = host.As("platform", "platform:admin", "tenant:admin");
            await op.PostAsJsonAsync("/v1/tenants", new { id = "busy", name = "busy", kind = "consumer" });
            using var stop = new CancellationTokenSource();
            var started = new TaskCompletionSource();
            var created = 0;
            // One app after another, each with its audit entry: a consistent copy holds apps 1..k with no gap.
            var writer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var response = await op.PostAsJsonAsync("/v1/tenants/busy/apps", new { name = $"w{created + 1:D5}" });
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    if (++created == 5)
                    {
                        started.SetResult();
                    }
                }
            });
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var environment = OperatorProcess.EnvironmentFor(host);
            var backup = await OperatorProcess.RunAsync(environment, "backup", folder);
            var writtenBeforeBackupEnded = created;
            await stop.CancelAsync();
            await writer;
            Assert.True(backup.ExitCode == 0, backup.Output);

            // The host still serves: restore leaves a store in use alone, and an existing store without --force.
            var refused = await OperatorProcess.RunAsync(environment, "restore", folder);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("--force", refused.Output, StringComparison.Ordinal);
            var busy = await OperatorProcess.RunAsync(environment, "restore", folder, "--force");
            Assert.Equal(2, busy.ExitCode);
            Assert.Contains("stop every host", busy.Output.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Equal(created, await CountAsync(host, "SELECT COUNT(*) FROM apps WHERE tenant_id = 'busy'"));

            host = await host.RestartAsync(whileStopped: async () =>
            {
                ReleaseTestConnections();
                var restore = await OperatorProcess.RunAsync(environment, "restore", folder, "--force");
                Assert.True(restore.ExitCode == 0, restore.Output);
            });

            var names = new List<string>();
            await using (var connection = await host.OpenStoreAsync())
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT name FROM apps WHERE tenant_id = 'busy' ORDER BY name";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    names.Add(reader.GetString(0));
                }
            }
            Assert.InRange(names.Count, 5, writtenBeforeBackupEnded);
            Assert.Equal(Enumerable.Range(1, names.Count).Select(i => $"w{i:D5}"), names);
            var full = await PlatformHost.ReadJsonAsync(await AccessScenarios.Platform(host).GetAsync("/v1/audit/verify?full=true"));
            Assert.True(full["ok"]!.GetValue<bool>(), full.ToJsonString());
            if (db == Db.Sqlite)
            {
                Assert.Equal("ok", await host.QueryScalarAsync("PRAGMA integrity_check"));
                // The store it replaced is kept, not deleted.
                Assert.Single(Directory.GetFiles(host.DataDirectory, "opendata.db.before-restore-*Z"));
            }
        }
        finally
        {
            await host.DisposeAsync();
            DeleteFolder(folder);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_damaged_or_incomplete_backup_is_refused_and_the_store_is_left_as_it_was(string db)
    {
        var host = await PlatformHost.StartAsync(db, Settings);
        var folder = NewBackupFolder();
        try
        {
            await host.CreateDatasetAsync(host.Owner(), "kept", "open", ("code", "string"), ("population", "integer"));
            await host.UploadAsync(host.Owner(), "kept", "code,population\na,1\n");
            var environment = OperatorProcess.EnvironmentFor(host);
            Assert.Equal(0, (await OperatorProcess.RunAsync(environment, "backup", folder)).ExitCode);
            await host.UploadAsync(host.Owner(), "kept", "code,population\nz,26\n");
            ReleaseTestConnections();

            var database = db == Db.Postgres ? "opendata.dump" : "opendata.db";
            var file = Path.Combine(folder, database);
            var bytes = await File.ReadAllBytesAsync(file);
            bytes[bytes.Length / 2] ^= 0x40;
            await File.WriteAllBytesAsync(file, bytes);
            var flipped = await OperatorProcess.RunAsync(environment, "restore", folder, "--force");
            Assert.Equal(1, flipped.ExitCode);
            Assert.Contains(database, flipped.Output, StringComparison.Ordinal);
            Assert.Contains("SHA-256", flipped.Output, StringComparison.Ordinal);
            bytes[bytes.Length / 2] ^= 0x40;
            await File.WriteAllBytesAsync(file, bytes);

            File.Delete(Path.Combine(folder, "auth-kek.bin"));
            var missing = await OperatorProcess.RunAsync(environment, "restore", folder, "--force");
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("auth-kek.bin: missing", missing.Output, StringComparison.Ordinal);

            File.Delete(Path.Combine(folder, "manifest.json"));
            var unfinished = await OperatorProcess.RunAsync(environment, "restore", folder, "--force");
            Assert.Equal(1, unfinished.ExitCode);
            Assert.Contains("manifest.json", unfinished.Output, StringComparison.Ordinal);

            // backup will not write over a folder that holds something else, even with --force.
            Assert.Equal(2, (await OperatorProcess.RunAsync(environment, "backup", folder)).ExitCode);
            Assert.Equal(2, (await OperatorProcess.RunAsync(environment, "backup", folder, "--force")).ExitCode);
            Assert.True(File.Exists(file));

            // The store is as it was: the host, even after a restart, serves the version made after the backup.
            host = await host.RestartAsync();
            var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/kept/records"));
            Assert.Equal(["z"], page["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()));
            Assert.Empty(Directory.GetFiles(host.DataDirectory, "*.before-restore-*"));

            if (db == Db.Postgres)
            {
                // Without PostgreSQL's client tools the operator is told what to install.
                var empty = Directory.CreateTempSubdirectory("opendata-no-tools-").FullName;
                var noTools = new Dictionary<string, string>(environment) { ["PATH"] = empty };
                var result = await OperatorProcess.RunAsync(noTools, "backup", NewBackupFolder());
                Directory.Delete(empty);
                Assert.Equal(1, result.ExitCode);
                Assert.Contains("pg_dump", result.Output, StringComparison.Ordinal);
                Assert.Contains("postgresql-client", result.Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            await host.DisposeAsync();
            DeleteFolder(folder);
        }
    }

    /// <summary>The disk is gone: the database and everything in the data folder (KEK, Data Protection keys, checkpoints).</summary>
    private static async Task LoseEverythingAsync(PlatformHost host)
    {
        if (host.Database == Db.Postgres)
        {
            await host.ExecuteSqlAsync("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        }
        ReleaseTestConnections();
        Directory.Delete(host.DataDirectory, recursive: true);
    }

    /// <summary>This test process's idle pooled connections would count as a host still using the store.</summary>
    private static void ReleaseTestConnections()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    // Not there yet (backup makes it), inside a folder of this user's own.
    private static string NewBackupFolder() => Path.Combine(Directory.CreateTempSubdirectory("opendata-backups-").FullName, "backup");

    private static void DeleteFolder(string folder)
    {
        // The backup folder with the folder of its own that NewBackupFolder made around it.
        var parent = Path.GetDirectoryName(folder)!;
        var target = Path.GetFileName(parent).StartsWith("opendata-backups-", StringComparison.Ordinal) ? parent : folder;
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }
    }

    private static List<string> DataProtectionKeys(string folder) =>
        Directory.Exists(Path.Combine(folder, "dataprotection-keys"))
            ? Directory.GetFiles(Path.Combine(folder, "dataprotection-keys"), "*.xml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList()
            : [];

    private static async Task<long> CountAsync(PlatformHost host, string sql) =>
        Convert.ToInt64(await host.QueryScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(string ClientId, string Secret, string AppId)> CreateAppAsync(PlatformHost host, string tenant)
    {
        var op = host.As("platform", "platform:admin", "tenant:admin");
        await op.PostAsJsonAsync("/v1/tenants", new { id = tenant, name = tenant, kind = "consumer" });
        var app = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{tenant}/apps", new { name = "app", scopes = new[] { "catalogue:read" } }), HttpStatusCode.Created);
        return (app["clientId"]!.GetValue<string>(), app["clientSecret"]!.GetValue<string>(), app["id"]!.GetValue<string>());
    }

    private static async Task<string> AccessTokenAsync(PlatformHost host, string clientId, string secret)
    {
        var response = await host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body["access_token"]!.GetValue<string>();
    }

    private static HttpClient Bearer(PlatformHost host, string token)
    {
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
