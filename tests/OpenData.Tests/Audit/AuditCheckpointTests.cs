using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using OpenData.Platform.Audit;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Audit;

/// <summary>
/// Tamper evidence against whoever can write the database: the chain is checked against checkpoints signed with a key that is
/// not in the database and published outside it. Each test is the attack, done with the database owner's rights.
/// </summary>
public sealed class AuditCheckpointTests
{
    private static string CheckpointFile(PlatformHost host) => Path.Combine(host.DataDirectory, "audit-checkpoints.jsonl");

    private static HttpClient Owner(PlatformHost host) => Reviewer(host, RestrictedOwner);

    private static HttpClient Operator(PlatformHost host) => AccessScenarios.Platform(host);

    private static async Task<JsonNode> VerifyAsync(HttpClient client, string query = "") =>
        await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/audit/verify" + query));

    private static Task<long> HeadAsync(PlatformHost host) => LongAsync(host, "SELECT seq FROM audit_head WHERE id = 1");

    private static async Task<long> LongAsync(PlatformHost host, string sql) =>
        Convert.ToInt64(await host.QueryScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Stops the host gracefully (which checkpoints the head) and starts it again; answers the new host and the checkpointed seq.</summary>
    private static async Task<(PlatformHost Host, long Seq)> CheckpointByRestartAsync(PlatformHost host)
    {
        var head = await HeadAsync(host);
        var restarted = await host.RestartAsync();
        var last = JsonNode.Parse(File.ReadLines(CheckpointFile(restarted)).Last())!;
        Assert.Equal(head, last["seq"]!.GetValue<long>());
        return (restarted, head);
    }

    /// <summary>The attacker's tools: switch the append-only guard off (as the owner of the tables may).</summary>
    private static Task DropTriggersAsync(PlatformHost host) => host.ExecuteSqlAsync(host.Database == Db.Postgres
        ? "DROP TRIGGER audit_log_no_change ON audit_log"
        : "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");

    /// <summary>Alters entry <paramref name="seq"/> and recomputes every later link and hash and the head, so a plain walk of the chain holds.</summary>
    private static async Task RewriteFromAsync(PlatformHost host, long seq, Func<string, string> edit)
    {
        await DropTriggersAsync(host);
        await using var connection = await host.OpenStoreAsync();
        var rows = (await connection.QueryAsync<AuditRow>($"SELECT {AuditLog.Columns} FROM audit_log WHERE seq >= @seq ORDER BY seq", new { seq })).ToList();
        var previous = rows[0].PrevHash;
        foreach (var row in rows)
        {
            if (row.Seq == seq)
            {
                row.Details = edit(row.Details);
            }
            row.PrevHash = previous;
            row.Hash = row.ComputeHash();
            previous = row.Hash;
            await connection.ExecuteAsync("UPDATE audit_log SET details = @Details, prev_hash = @PrevHash, hash = @Hash WHERE seq = @Seq", row);
        }
        await connection.ExecuteAsync("UPDATE audit_head SET hash = @previous WHERE id = 1", new { previous });
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_untouched_chain_verifies_from_its_latest_checkpoint_for_owners_and_operators_only_and_is_metered(string db)
    {
        var host = await PlatformHost.StartAsync(db);
        try
        {
            await AccessScenarios.GrantLifeAsync(host);
            (host, var checkpointed) = await CheckpointByRestartAsync(host);
            // The line carries the head, the key's id and an HMAC, and no key.
            var line = JsonNode.Parse(File.ReadLines(CheckpointFile(host)).Last())!;
            Assert.Equal(64, line["hash"]!.GetValue<string>().Length);
            Assert.StartsWith("kek-", line["keyId"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(64, line["signature"]!.GetValue<string>().Length);

            var response = await Owner(host).GetAsync("/v1/audit/verify");
            Assert.True(response.Headers.Contains("RateLimit-Policy"), "verify is metered like any read");
            var verified = await PlatformHost.ReadJsonAsync(response);
            Assert.True(verified["ok"]!.GetValue<bool>(), verified.ToJsonString());
            Assert.False(verified["full"]!.GetValue<bool>());
            Assert.Equal(checkpointed, verified["checkpoint"]!["seq"]!.GetValue<long>());
            Assert.Equal(checkpointed + 1, verified["from"]!.GetValue<long>());
            Assert.Equal(await HeadAsync(host), verified["entries"]!.GetValue<long>());

            var full = await VerifyAsync(Operator(host), "?full=true");
            Assert.True(full["ok"]!.GetValue<bool>(), full.ToJsonString());
            Assert.Equal(1, full["from"]!.GetValue<long>());

            await ProblemAssert.IsProblemAsync(await Consumer(host, "curious").GetAsync("/v1/audit/verify"), HttpStatusCode.Forbidden, "audit.verify_forbidden");
            await ProblemAssert.IsProblemAsync(await Owner(host).GetAsync("/v1/audit/verify?full=true"), HttpStatusCode.Forbidden, "audit.full_verify_forbidden");
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Checkpoints_follow_the_configured_count_of_entries_without_a_restart(string db)
    {
        await using var host = await PlatformHost.StartAsync(db, new Dictionary<string, string?> { ["OpenData:Audit:CheckpointEntries"] = "1" });
        await AccessScenarios.GrantLifeAsync(host);
        var head = await HeadAsync(host);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var verified = await VerifyAsync(Operator(host));
            Assert.True(verified["ok"]!.GetValue<bool>(), verified.ToJsonString());
            if (verified["checkpoint"] is { } checkpoint && checkpoint["seq"]!.GetValue<long>() >= head)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "no checkpoint of the head 30 s after the entries");
            await Task.Delay(100);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_database_owner_who_rewrites_an_entry_and_recomputes_the_chain_and_head_is_caught_between_two_checkpoints(string db)
    {
        var host = await PlatformHost.StartAsync(db);
        try
        {
            await AccessScenarios.GrantLifeAsync(host);
            (host, var first) = await CheckpointByRestartAsync(host);
            await AccessScenarios.GrantLifeAsync(host);
            (host, var second) = await CheckpointByRestartAsync(host);
            var target = await LongAsync(host, $"SELECT MIN(seq) FROM audit_log WHERE seq > {first} AND type = 'records.read'");

            // The attack: 3 rows read become 1, every later hash and the head are recomputed, so the chain walks clean.
            await RewriteFromAsync(host, target, d => d.Replace("\"rows\":3", "\"rows\":1", StringComparison.Ordinal));

            var broken = await VerifyAsync(Owner(host));
            Assert.False(broken["ok"]!.GetValue<bool>(), broken.ToJsonString());
            Assert.Equal("audit.checkpoint_mismatch", broken["code"]!.GetValue<string>());
            // Found between the two checkpoints: the first still holds, the second no longer does.
            Assert.Equal(second, broken["brokenAt"]!.GetValue<long>());
            Assert.Contains($"entries after {first}", broken["problem"]!.GetValue<string>(), StringComparison.Ordinal);
            var full = await VerifyAsync(Operator(host), "?full=true");
            Assert.Equal(second, full["brokenAt"]!.GetValue<long>());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Edits_that_leave_the_hashes_alone_are_caught_after_the_checkpoint_and_by_a_full_check_before_it(string db)
    {
        var host = await PlatformHost.StartAsync(db);
        try
        {
            await AccessScenarios.GrantLifeAsync(host);
            (host, var checkpointed) = await CheckpointByRestartAsync(host);
            await AccessScenarios.GrantLifeAsync(host);
            await DropTriggersAsync(host);
            var after = await LongAsync(host, $"SELECT MIN(seq) FROM audit_log WHERE seq > {checkpointed} AND type = 'records.read'");
            await host.ExecuteSqlAsync($"UPDATE audit_log SET details = replace(details, '\"rows\":3', '\"rows\":30') WHERE seq = {after}");

            var broken = await VerifyAsync(Owner(host));
            Assert.Equal("audit.entry_altered", broken["code"]!.GetValue<string>());
            Assert.Equal(after, broken["brokenAt"]!.GetValue<long>());

            // Before the checkpoint the incremental check trusts what the checkpoint vouched for; the operator's full check does not.
            await host.ExecuteSqlAsync($"UPDATE audit_log SET details = replace(details, '\"rows\":30', '\"rows\":3') WHERE seq = {after}");
            var before = await LongAsync(host, "SELECT MIN(seq) FROM audit_log WHERE type = 'records.read'");
            await host.ExecuteSqlAsync($"UPDATE audit_log SET details = replace(details, '\"rows\":3', '\"rows\":30') WHERE seq = {before}");
            var full = await VerifyAsync(Operator(host), "?full=true");
            Assert.Equal("audit.entry_altered", full["code"]!.GetValue<string>());
            Assert.Equal(before, full["brokenAt"]!.GetValue<long>());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_database_owner_who_deletes_the_tail_and_moves_the_head_back_is_caught(string db)
    {
        var host = await PlatformHost.StartAsync(db);
        try
        {
            await AccessScenarios.GrantLifeAsync(host);
            (host, var checkpointed) = await CheckpointByRestartAsync(host);
            // The owner's caller is registered (an audited app creation) before the attack, not after it.
            var owner = Owner(host);
            Assert.True((await VerifyAsync(owner))["ok"]!.GetValue<bool>());

            // The attack: the last entries go, and the head names the entry before them, so the chain ends cleanly.
            await DropTriggersAsync(host);
            var keep = checkpointed - 3;
            await host.ExecuteSqlAsync($"DELETE FROM audit_log WHERE seq > {keep}");
            await host.ExecuteSqlAsync($"UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit_log WHERE seq = {keep}) WHERE id = 1");

            var broken = await VerifyAsync(owner);
            Assert.False(broken["ok"]!.GetValue<bool>(), broken.ToJsonString());
            Assert.Equal("audit.tail_removed", broken["code"]!.GetValue<string>());
            Assert.Equal(keep + 1, broken["brokenAt"]!.GetValue<long>());
            Assert.Equal(checkpointed, broken["checkpoint"]!["seq"]!.GetValue<long>());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_checkpoint_forged_in_the_file_for_a_rewritten_chain_is_caught(string db)
    {
        var host = await PlatformHost.StartAsync(db);
        try
        {
            await AccessScenarios.GrantLifeAsync(host);
            (host, var checkpointed) = await CheckpointByRestartAsync(host);

            // The attack: rewrite the chain, then vouch for it with a checkpoint of one's own, without the platform's key.
            await RewriteFromAsync(host, 2, d => d.Replace("\"rows\":3", "\"rows\":1", StringComparison.Ordinal));
            var forgedHead = (string)(await host.QueryScalarAsync("SELECT hash FROM audit_head WHERE id = 1"))!;
            var genuine = JsonNode.Parse(File.ReadLines(CheckpointFile(host)).Last())!;
            var at = DateTimeOffset.UtcNow;
            var guess = new AuditCheckpoint(checkpointed, forgedHead, at, "attacker", genuine["keyId"]!.GetValue<string>(), "");
            var signature = Convert.ToHexStringLower(HMACSHA256.HashData(new byte[32], Encoding.UTF8.GetBytes(guess.Payload())));
            var line = new JsonObject
            {
                ["seq"] = checkpointed, ["hash"] = forgedHead, ["at"] = at, ["node"] = "attacker", ["keyId"] = guess.KeyId, ["signature"] = signature,
            };
            await File.AppendAllTextAsync(CheckpointFile(host), line.ToJsonString() + "\n");

            var broken = await VerifyAsync(Operator(host));
            Assert.False(broken["ok"]!.GetValue<bool>(), broken.ToJsonString());
            Assert.Equal("audit.checkpoint_forged", broken["code"]!.GetValue<string>());
            Assert.Equal(checkpointed, broken["brokenAt"]!.GetValue<long>());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
