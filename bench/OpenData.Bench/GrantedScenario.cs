using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OpenData.Bench;

/// <summary>
/// Scenario 9 (issue 13, item 10): restricted data read under a grant. The hotline's owner publishes made-up tickets as a
/// restricted dataset; a consumer asks for access and the owner approves. A page read by the grantee (its view of the grant,
/// the outbound check on what it does not see in clear by right, and a <c>records.read</c> audit entry appended to the chain
/// by group commit before the answer leaves) is compared with the same page read by the owner (clear; every read of
/// restricted data is audited, the owner's too, so both sides append to the one chain at once: the contention the group
/// commit removes).
/// </summary>
internal static class GrantedScenario
{
    public const string DatasetId = "bench-granted-tickets";
    public const int Rows = 5_000;
    public const int PageSize = 100;
    private const string Owner = "ningbo-12345-hotline";
    private const string Consumer = "bench-grantee";
    private static readonly string[] OwnerScopes = ["catalogue:read", "records:read", "datasets:write", "access:review"];
    private static readonly string[] ConsumerScopes = ["catalogue:read", "records:read", "access:request"];

    public static async Task RunAsync(BenchContext context, string db, ChildProcess platform, HttpClient client, BenchRun.AppCredentials operatorApp,
        Func<TimeSpan>? databaseCpu, CancellationToken cancellationToken)
    {
        var options = context.Options;
        BenchRun.Section($"Scenario 9 ({db}): restricted pages under a grant — {Rows:N0} tickets, restricted, published by {Owner}; {Consumer} asks and is approved");
        var operatorToken = await BenchRun.IssueTokenAsync(client, operatorApp, cancellationToken);
        using var ownerCreated = await BenchRun.SendJsonAsync(client, HttpMethod.Post, $"/v1/tenants/{Owner}/apps", operatorToken,
            new { name = "bench-restricted-publisher", scopes = OwnerScopes }, cancellationToken);
        var ownerToken = await BenchRun.IssueTokenAsync(client, Credentials(ownerCreated), cancellationToken);
        (await BenchRun.SendJsonAsync(client, HttpMethod.Post, "/v1/tenants", operatorToken, new { id = Consumer, name = "Bench grantee", kind = "consumer" }, cancellationToken)).Dispose();
        using var consumerCreated = await BenchRun.SendJsonAsync(client, HttpMethod.Post, $"/v1/tenants/{Consumer}/apps", operatorToken,
            new { name = "bench-grantee-app", scopes = ConsumerScopes }, cancellationToken);
        var consumerToken = await BenchRun.IssueTokenAsync(client, Credentials(consumerCreated), cancellationToken);

        (await BenchRun.SendJsonAsync(client, HttpMethod.Post, "/v1/datasets", ownerToken, new
        {
            id = DatasetId,
            title = "12345 热线工单（受限，基准测试，虚构数据）",
            description = "Made-up hotline tickets with personal data, restricted, for the granted-page benchmark.",
            theme = "public-services",
            classification = "restricted",
            license = "CC-BY-4.0",
            updateFrequency = "daily",
            columns = PiiTickets.Columns.Select(c => new { name = c.Name, type = "string", tag = c.Tag }).ToArray(),
        }, cancellationToken)).Dispose();
        var upload = Stopwatch.StartNew();
        await DesensitisedScenario.UploadAsync(client, ownerToken, DatasetId, PiiTickets.Csv(PiiTickets.Make(Rows)), Rows, cancellationToken);
        Console.WriteLine($"dataset {DatasetId}: {Rows:N0} rows uploaded and published in {upload.Elapsed.TotalSeconds:F2} s");

        using var request = await BenchRun.SendJsonAsync(client, HttpMethod.Post, "/v1/access-requests", consumerToken,
            new { datasetId = DatasetId, purpose = "基准测试：热线工单分析 (benchmark)", durationDays = 30 }, cancellationToken);
        var requestId = request.RootElement.GetProperty("id").GetString()!;
        (await BenchRun.SendJsonAsync(client, HttpMethod.Post, $"/v1/access-requests/{requestId}/decision", ownerToken,
            new { decision = "approve", reason = "benchmark" }, cancellationToken)).Dispose();

        var path = $"/v1/datasets/{DatasetId}/records?limit={PageSize}&select={Uri.EscapeDataString(PiiTickets.Select)}";
        var grantee = Bearer(path, consumerToken, "the grantee");
        var owner = Bearer(path, ownerToken, "the owner");
        var (_, granted) = await DesensitisedScenario.PageAsync(client, grantee, cancellationToken);
        var (_, clear) = await DesensitisedScenario.PageAsync(client, owner, cancellationToken);
        if (granted.Count != PageSize || clear.Count != PageSize)
        {
            throw new InvalidOperationException($"expected {PageSize} rows on both sides, got {granted.Count} (grantee) and {clear.Count} (owner)");
        }
        var transformed = granted.Zip(clear).Sum(p => p.First.Count(kv => p.Second.GetValueOrDefault(kv.Key) != kv.Value));
        Console.WriteLine($"checked: the grantee reads {granted.Count} rows ({transformed} of {granted.Count * PiiTickets.Columns.Length} cells differ from the owner's by its view of the grant)");

        BenchRun.Section($"Scenario 9 ({db}): a restricted page of {PageSize}, the grantee (view + outbound check) vs the owner (clear), both audited");
        var settled = await LoadDriver.SettleAsync(client, grantee, platform, options.Workers, "grantee", cancellationToken)
            + await LoadDriver.SettleAsync(client, owner, platform, options.Workers, "owner", cancellationToken);
        var (a, b) = await LoadDriver.CompareAsync(client, grantee, client, owner, options, cancellationToken, platform, platform, databaseCpu);
        Console.WriteLine($"grantee {a.Describe()}");
        Console.WriteLine($"owner   {b.Describe()}");
        var ratio = a.RequestsPerSecond / b.RequestsPerSecond;
        context.Report.Add(new ScenarioResult(db, $"restricted page of {PageSize}, read by a grantee (view of the grant + outbound check + audit entry by group commit) vs by its owner",
            $"{a.RequestsPerSecond:F0} req/s", $"{b.RequestsPerSecond:F0} req/s", ratio, "≥ 0.8×", ratio >= 0.8,
            $"p50 {a.Percentile(50):F1} ms vs {b.Percentile(50):F1} ms, p99 {a.Percentile(99):F1} ms vs {b.Percentile(99):F1} ms; " +
            $"server CPU {a.CpuMsPerRequest:F2} vs {b.CpuMsPerRequest:F2} ms a request (+{a.CpuMsPerRequest - b.CpuMsPerRequest:F2} ms)" +
            (databaseCpu is null ? " (SQLite runs in the host); " : $", PostgreSQL backends of the bench database {a.DatabaseCpuMsPerRequest:F2} vs {b.DatabaseCpuMsPerRequest:F2} ms; ") +
            $"{a.Bytes / Math.Max(1, a.Requests):N0} vs {b.Bytes / Math.Max(1, b.Requests):N0} bytes a response; {Rows:N0} made-up tickets, restricted; the grantee's access request " +
            $"approved by the owner for every column; {transformed} of {PageSize * PiiTickets.Columns.Length} cells of a page differ from the owner's; every page on both sides " +
            $"appends a records.read entry to the one chain and waits for its batch's commit; {options.Workers} workers; each path settled first ({settled.TotalSeconds:F0} s in all)"));
    }

    private static BenchRun.AppCredentials Credentials(JsonDocument created) =>
        new(created.RootElement.GetProperty("clientId").GetString()!, created.RootElement.GetProperty("clientSecret").GetString()!);

    private static LoadRequest Bearer(string path, string token, string who) => new($"GET {path} as {who}", () =>
    {
        var message = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return message;
    });
}
