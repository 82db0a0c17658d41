using System.Net;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Audit;

/// <summary>The hash-chained audit trail: what is recorded, who sees it, and that tampering is found.</summary>
public sealed class AuditTrailTests
{
    /// <summary>The entries a caller sees, but for the registrations of the test's own callers (each app is audited when created).</summary>
    private static async Task<List<JsonNode>> EntriesAsync(HttpClient client, string query = "")
    {
        var page = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/audit?limit=1000" + query));
        return page["items"]!.AsArray().Select(i => i!).Where(e => !e["type"]!.GetValue<string>().StartsWith("app.", StringComparison.Ordinal)).ToList();
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Transitions_grants_and_restricted_reads_are_recorded_without_values_and_seen_by_the_right_parties(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var request = await GrantLifeAsync(host);
        var operatorView = await EntriesAsync(AccessScenarios.Platform(host));
        Assert.Equal(["access_request.submitted", "access_request.decided", "grant.created", "records.read", "records.read", "grant.revoked"],
            operatorView.Select(e => e["type"]!.GetValue<string>()));
        var read = operatorView.First(e => e["type"]!.GetValue<string>() == "records.read");
        Assert.Equal("audited", read["actorTenant"]!.GetValue<string>());
        Assert.Equal(Restricted, read["datasetId"]!.GetValue<string>());
        Assert.Equal(3, read["details"]!["rows"]!.GetValue<long>());
        Assert.Equal(["ticketNo", "district"], read["details"]!["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(16, read["details"]!["queryHash"]!.GetValue<string>().Length);
        // The second read filtered on a district: its value is nowhere in the trail, only the query's hash.
        var all = string.Join("\n", operatorView.Select(e => e.ToJsonString()));
        Assert.DoesNotContain("海曙区", all, StringComparison.Ordinal);
        Assert.Equal(request, operatorView[0]["details"]!["request"]!.GetValue<string>());

        // Owners see what happened on their datasets, consumers their own actions, others nothing.
        var ownerView = await EntriesAsync(Reviewer(host, RestrictedOwner));
        Assert.Equal(6, ownerView.Count);
        var consumerView = await EntriesAsync(Consumer(host, "audited"));
        Assert.Equal(["access_request.submitted", "records.read", "records.read"], consumerView.Select(e => e["type"]!.GetValue<string>()));
        Assert.Empty(await EntriesAsync(Consumer(host, "bystander")));
        Assert.Equal(2, (await EntriesAsync(Reviewer(host, RestrictedOwner), "&type=records.read")).Count);
        Assert.Empty(await EntriesAsync(Reviewer(host, RestrictedOwner), "&datasetId=ningbo-villages"));

        // Owners export as NDJSON.
        var ndjson = await Reviewer(host, RestrictedOwner).GetAsync("/v1/audit?format=ndjson");
        Assert.Equal("application/x-ndjson", ndjson.Content.Headers.ContentType?.MediaType);
        Assert.Equal(6, (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => !l.Contains("\"type\":\"app.", StringComparison.Ordinal)));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Verify_passes_on_the_chain_and_names_the_entry_altered_in_the_store(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        await GrantLifeAsync(host);
        var client = Reviewer(host, RestrictedOwner);
        var read = (await EntriesAsync(client, "&type=records.read"))[0]["seq"]!.GetValue<long>();
        var verified = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/audit/verify"));
        Assert.True(verified["ok"]!.GetValue<bool>(), verified.ToJsonString());
        var entries = verified["entries"]!.GetValue<long>();
        Assert.True(entries >= 6);
        Assert.Equal(64, verified["head"]!.GetValue<string>().Length);

        // The store refuses changes to the trail…
        await Assert.ThrowsAnyAsync<Exception>(() => host.ExecuteSqlAsync("UPDATE audit_log SET details = '{}' WHERE seq = 3"));
        await Assert.ThrowsAnyAsync<Exception>(() => host.ExecuteSqlAsync("DELETE FROM audit_log WHERE seq = 3"));
        // …until someone with the database's keys switches the guard off and edits one row.
        await host.ExecuteSqlAsync(db == Db.Postgres
            ? "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
            : "DROP TRIGGER audit_log_no_update");
        await host.ExecuteSqlAsync($"UPDATE audit_log SET details = replace(details, '\"rows\":3', '\"rows\":30') WHERE seq = {read}");
        var broken = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/audit/verify"));
        Assert.False(broken["ok"]!.GetValue<bool>());
        Assert.Equal(read, broken["brokenAt"]!.GetValue<long>());
        Assert.Contains($"entry {read}", broken["problem"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Concurrent_restricted_reads_each_leave_one_entry_committed_before_their_answer_and_the_chain_holds(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = Consumer(host, "busy");
        var owner = Reviewer(host, RestrictedOwner);
        var id = (await SubmitAsync(consumer, Restricted, new[] { "ticketNo", "district" }))["id"]!.GetValue<string>();
        await PlatformHost.ReadJsonAsync(await DecideAsync(owner, id, "approve"));

        // 24 reads at once: group commit chains them in batches, and each answer comes only after its entry is committed.
        var reads = Enumerable.Range(0, 24).Select(async i =>
        {
            var response = await consumer.GetAsync($"/v1/datasets/{Restricted}/records?limit={i + 1}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var rows = await host.QueryScalarAsync($"SELECT COUNT(*) FROM audit_log WHERE type = 'records.read' AND details LIKE '%\"rows\":{i + 1},%'");
            Assert.Equal(1L, Convert.ToInt64(rows, System.Globalization.CultureInfo.InvariantCulture));
        });
        await Task.WhenAll(reads);

        Assert.Equal(24, (await EntriesAsync(owner, "&type=records.read")).Count);
        var verified = await PlatformHost.ReadJsonAsync(await owner.GetAsync("/v1/audit/verify"));
        Assert.True(verified["ok"]!.GetValue<bool>(), verified.ToJsonString());
    }
}
