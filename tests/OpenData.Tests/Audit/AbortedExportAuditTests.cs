using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;

namespace OpenData.Tests.Audit;

/// <summary>An export of restricted rows is audited with the rows that actually left, however it ends.</summary>
public sealed class AbortedExportAuditTests
{
    private const string Dataset = "bulky-restricted";
    private const string Owner = "ningbo-civil-affairs";

    // 40,000 rows of ~500 bytes: 20 MB, far more than Kestrel's and the loopback socket's buffers hold, so an export the
    // client abandons after a few kilobytes cannot have been written whole by then.
    private const int Rows = 40_000;

    private static async Task<HttpClient> GrantedConsumerAsync(PlatformHost host)
    {
        var owner = Reviewer(host, Owner);
        await host.CreateDatasetAsync(owner, Dataset, "restricted", ("n", "integer"), ("filler", "string"));
        var csv = new StringBuilder("n,filler\n");
        var filler = string.Concat(Enumerable.Repeat("abcdefghij", 50));
        for (var i = 1; i <= Rows; i++)
        {
            csv.Append(i).Append(',').Append(filler).Append('\n');
        }
        Assert.Equal("succeeded", (await host.UploadAsync(owner, Dataset, csv.ToString())).GetProperty("status").GetString());
        var consumer = Consumer(host, "leaver");
        var id = (await SubmitAsync(consumer, Dataset))["id"]!.GetValue<string>();
        await PlatformHost.ReadJsonAsync(await DecideAsync(owner, id, "approve"));
        return consumer;
    }

    private static async Task<JsonNode> ExportEntryAsync(PlatformHost host)
    {
        // The entry is written when the server notices the reset, a moment after the client left: wait for it, with a deadline.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var page = await PlatformHost.ReadJsonAsync(await AccessScenarios.Platform(host).GetAsync("/v1/audit?type=records.exported"));
            var items = page["items"]!.AsArray();
            if (items.Count > 0)
            {
                Assert.Single(items);
                return items[0]!;
            }
            Assert.True(DateTime.UtcNow < deadline, "no records.exported entry 60 s after the client left");
            await Task.Delay(100);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_client_that_resets_mid_export_leaves_an_entry_with_the_rows_sent_before_it_left(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = await GrantedConsumerAsync(host);

        // The fault: read the first 64 KB of the export, then drop the connection.
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/{Dataset}/export?format=csv"))
        using (var response = await consumer.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await body.ReadAsync(buffer.AsMemory(read));
                Assert.True(n > 0, "the export ended before 64 KB");
                read += n;
            }
        }

        var entry = await ExportEntryAsync(host);
        Assert.Equal(Dataset, entry["datasetId"]!.GetValue<string>());
        Assert.Equal("leaver", entry["actorTenant"]!.GetValue<string>());
        Assert.Equal("aborted", entry["details"]!["outcome"]!.GetValue<string>());
        var rows = entry["details"]!["rows"]!.GetValue<long>();
        Assert.InRange(rows, 1, Rows - 1);

        // The chain holds with it, and a whole export afterwards is recorded as complete with every row.
        var verified = await PlatformHost.ReadJsonAsync(await AccessScenarios.Platform(host).GetAsync("/v1/audit/verify"));
        Assert.True(verified["ok"]!.GetValue<bool>(), verified.ToJsonString());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_whole_export_and_one_cut_by_the_plan_each_leave_an_entry_with_their_rows_and_outcome(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = Consumer(host, "finisher");
        var owner = Reviewer(host, RestrictedOwner);
        var id = (await SubmitAsync(consumer, Restricted))["id"]!.GetValue<string>();
        await PlatformHost.ReadJsonAsync(await DecideAsync(owner, id, "approve"));

        var whole = await consumer.GetAsync($"/v1/datasets/{Restricted}/export?format=ndjson");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var total = long.Parse(whole.Headers.GetValues("X-Total-Rows").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(total, (await whole.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // The operator cuts the consumer's exports to 3 rows.
        await PlatformHost.ReadJsonAsync(await QuotaScenarios.Operator(host).PostAsJsonAsync("/v1/tenants",
            new { id = "cut", name = "cut", kind = "consumer", plan = "free" }), HttpStatusCode.Created);
        await PlatformHost.ReadJsonAsync(await QuotaScenarios.Operator(host).PatchAsJsonAsync("/v1/tenants/cut", new { limits = new { exportRows = 3 } }));
        var cutConsumer = Consumer(host, "cut");
        var cutId = (await SubmitAsync(cutConsumer, Restricted))["id"]!.GetValue<string>();
        await PlatformHost.ReadJsonAsync(await DecideAsync(owner, cutId, "approve"));
        var cut = await cutConsumer.GetAsync($"/v1/datasets/{Restricted}/export?format=ndjson");
        Assert.Equal("3", cut.Headers.GetValues("X-Export-Rows").Single());
        await cut.Content.ReadAsStringAsync();

        var entries = (await PlatformHost.ReadJsonAsync(await AccessScenarios.Platform(host).GetAsync("/v1/audit?type=records.exported")))["items"]!.AsArray();
        Assert.Equal(2, entries.Count);
        Assert.Equal(("finisher", total, "complete"), Summary(entries[0]!));
        Assert.Equal(("cut", 3L, "truncated"), Summary(entries[1]!));
    }

    private static (string, long, string) Summary(JsonNode entry) =>
        (entry["actorTenant"]!.GetValue<string>(), entry["details"]!["rows"]!.GetValue<long>(), entry["details"]!["outcome"]!.GetValue<string>());
}
