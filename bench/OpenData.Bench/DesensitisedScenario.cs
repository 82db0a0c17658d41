using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenData.Bench;

/// <summary>
/// Scenario 6 (issue 4): the cost of desensitisation on the read path. A dataset of made-up hotline tickets is created and loaded
/// through the API by its owner; a page of 1,000 rows read anonymously (name and mobile masked, address generalised to the
/// district, every other string cell through the outbound PII check) is compared with the same page read by the owner, who gets
/// it in clear with no transform and no check.
/// </summary>
internal static class DesensitisedScenario
{
    public const int Rows = 5_000;
    public const int PageSize = 1_000;

    /// <summary>The seeded owner tenant (and organisation) that publishes the tickets.</summary>
    private const string Owner = "ningbo-12345-hotline";

    private static readonly string[] OwnerScopes = ["catalogue:read", "records:read", "datasets:write"];

    public static async Task RunAsync(BenchContext context, string db, ChildProcess platform, HttpClient client, BenchRun.AppCredentials operatorApp,
        Func<TimeSpan>? databaseCpu, CancellationToken cancellationToken)
    {
        var options = context.Options;
        BenchRun.Section($"Scenario 6 ({db}): desensitised page — {Rows:N0} tickets created and uploaded through the API by their owner, {Owner}");
        var operatorToken = await BenchRun.IssueTokenAsync(client, operatorApp, cancellationToken);
        using var created = await BenchRun.SendJsonAsync(client, HttpMethod.Post, $"/v1/tenants/{Owner}/apps", operatorToken,
            new { name = "bench-publisher", scopes = OwnerScopes }, cancellationToken);
        var ownerApp = new BenchRun.AppCredentials(created.RootElement.GetProperty("clientId").GetString()!, created.RootElement.GetProperty("clientSecret").GetString()!);
        var ownerToken = await BenchRun.IssueTokenAsync(client, ownerApp, cancellationToken);

        (await BenchRun.SendJsonAsync(client, HttpMethod.Post, "/v1/datasets", ownerToken, new
        {
            id = PiiTickets.DatasetId,
            title = "12345 热线工单（基准测试，虚构数据）",
            description = "Made-up hotline tickets with personal data, for the desensitised-page benchmark.",
            theme = "public-services",
            classification = "open",
            license = "CC-BY-4.0",
            updateFrequency = "daily",
            columns = PiiTickets.Columns.Select(c => new { name = c.Name, type = "string", tag = c.Tag }).ToArray(),
        }, cancellationToken)).Dispose();
        var tickets = PiiTickets.Make(Rows);
        var upload = Stopwatch.StartNew();
        var job = await UploadAsync(client, ownerToken, PiiTickets.DatasetId, PiiTickets.Csv(tickets), Rows, cancellationToken);
        Console.WriteLine($"dataset {PiiTickets.DatasetId}: {Rows:N0} rows uploaded and published in {upload.Elapsed.TotalSeconds:F2} s (job {job})");

        var path = $"/v1/datasets/{PiiTickets.DatasetId}/records?limit={PageSize}&select={Uri.EscapeDataString(PiiTickets.Select)}";
        var owner = new LoadRequest($"GET {path} as the owner", () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ownerToken);
            return message;
        });
        var anonymous = LoadDriver.Get(path);
        var page = tickets.Take(PageSize).ToList();
        await CheckClearAsync(client, owner, page, cancellationToken);
        var maskedNotes = await CheckDesensitisedAsync(client, anonymous, page, cancellationToken);
        Console.WriteLine($"checked: the owner's page is the file in clear; the anonymous page has names and mobiles masked, addresses cut to the district, " +
            $"{maskedNotes} of {PageSize:N0} notes masked by the outbound check, and none of the page's {page.Count + page.Count(t => t.Secret is not null):N0} numbers in it");

        // What the host logs for each desensitised page (outbound.leak_masked warnings): 50 pages one at a time, then the log's growth.
        var hostLog = new FileInfo(Path.Combine(context.WorkDirectory, $"platform-{db}.log"));
        var logBefore = hostLog.Exists ? hostLog.Length : 0;
        for (var i = 0; i < 50; i++)
        {
            using var message = anonymous.Create();
            using var response = await client.SendAsync(message, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        await Task.Delay(500, cancellationToken);
        hostLog.Refresh();
        var logBytesPerPage = ((hostLog.Exists ? hostLog.Length : 0) - logBefore) / 50.0;
        Console.WriteLine($"the host logs {logBytesPerPage:N0} bytes a desensitised page (outbound.leak_masked warnings)");

        BenchRun.Section($"Scenario 6 ({db}): a page of {PageSize:N0}, anonymous (3 transformed columns + outbound check) vs the owner (in clear)");
        var settled = await LoadDriver.SettleAsync(client, anonymous, platform, options.Workers, "anonymous", cancellationToken)
            + await LoadDriver.SettleAsync(client, owner, platform, options.Workers, "owner", cancellationToken);
        var (desensitised, clear) = await LoadDriver.CompareAsync(client, anonymous, client, owner, options, cancellationToken, platform, platform, databaseCpu);
        Console.WriteLine($"anonymous {desensitised.Describe()}");
        Console.WriteLine($"owner     {clear.Describe()}");
        var profile = await PipelineProfile.RunAsync(Path.Combine(context.RepoRoot, "policies"), page, cancellationToken);
        Console.WriteLine(profile);
        var ratio = desensitised.RequestsPerSecond / clear.RequestsPerSecond;
        context.Report.Add(new ScenarioResult(db, $"records page of {PageSize:N0}, desensitised (anonymous: 3 transformed columns + outbound check) vs in clear (owner)",
            $"{desensitised.RequestsPerSecond:F0} req/s", $"{clear.RequestsPerSecond:F0} req/s", ratio, "≥ 0.75×", ratio >= 0.75,
            $"p50 {desensitised.Percentile(50):F1} ms vs {clear.Percentile(50):F1} ms, p99 {desensitised.Percentile(99):F1} ms vs {clear.Percentile(99):F1} ms; " +
            $"server CPU {desensitised.CpuMsPerRequest:F2} vs {clear.CpuMsPerRequest:F2} ms a request (+{desensitised.CpuMsPerRequest - clear.CpuMsPerRequest:F2} ms)" +
            (databaseCpu is null
                ? " (SQLite runs in the host); "
                : $", PostgreSQL backends of the bench database {desensitised.DatabaseCpuMsPerRequest:F2} vs {clear.DatabaseCpuMsPerRequest:F2} ms; ") +
            $"{desensitised.Bytes / Math.Max(1, desensitised.Requests):N0} vs {clear.Bytes / Math.Max(1, clear.Requests):N0} bytes a response; " +
            $"{Rows:N0} made-up tickets (ticket, name pii.name, mobile pii.phone, address pii.address, district, note: ~40 Chinese characters, one in four holding a " +
            $"mobile or an 18-digit ID-card number), select={PiiTickets.Select}; anonymous: name and mobile masked, address generalised, then every " +
            $"cell of the six columns through the outbound check, which masked {maskedNotes} of the {PageSize:N0} notes; the owner reads with a bearer token " +
            $"(validated on every request, principal cached) and no row pipeline; both on the platform host, same client, each path settled first until the host's CPU a request stopped falling ({settled.TotalSeconds:F0} s in all); the host logs {logBytesPerPage:N0} bytes " +
            $"a desensitised page (outbound.leak_masked warnings). {profile}"));
    }

    /// <summary>POST the CSV as a new version, then follow the job until it succeeds; returns the job's id.</summary>
    internal static async Task<string> UploadAsync(HttpClient client, string token, string datasetId, string csv, int rows, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/v1/datasets/{datasetId}/versions", UriKind.Relative))
        {
            Content = new StringContent(csv, new UTF8Encoding(false), "text/csv"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted || response.Headers.Location is null)
        {
            throw new InvalidOperationException($"POST /v1/datasets/{datasetId}/versions answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        var location = response.Headers.Location;
        var started = Stopwatch.StartNew();
        while (true)
        {
            using var poll = new HttpRequestMessage(HttpMethod.Get, location);
            poll.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var answer = await client.SendAsync(poll, cancellationToken);
            var body = await answer.Content.ReadAsStringAsync(cancellationToken);
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {location} answered {(int)answer.StatusCode}: {body}");
            }
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            switch (root.GetProperty("status").GetString())
            {
                case "succeeded":
                    if (root.GetProperty("rowsRead").GetInt64() != rows || root.GetProperty("rowsRejected").GetInt64() != 0)
                    {
                        throw new InvalidOperationException($"the upload of {rows} rows published something else: {body}");
                    }
                    return root.GetProperty("id").GetString()!;
                case "failed":
                    throw new InvalidOperationException($"the upload failed: {body}");
            }
            if (started.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"the upload's job had not finished after 60 s: {body}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    internal static async Task<(string Body, List<Dictionary<string, string?>> Items)> PageAsync(HttpClient client, LoadRequest request, CancellationToken cancellationToken)
    {
        using var message = request.Create();
        using var response = await client.SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{request.Label} answered {(int)response.StatusCode}: {body}");
        }
        using var document = JsonDocument.Parse(body);
        var items = document.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString()))
            .ToList();
        return (body, items);
    }

    /// <summary>The owner's page must be the file's first rows, every value as uploaded.</summary>
    private static async Task CheckClearAsync(HttpClient client, LoadRequest owner, List<PiiTickets.Ticket> page, CancellationToken cancellationToken)
    {
        var (_, items) = await PageAsync(client, owner, cancellationToken);
        if (items.Count != page.Count)
        {
            throw new InvalidOperationException($"the owner's page has {items.Count} rows; expected {page.Count}");
        }
        for (var i = 0; i < page.Count; i++)
        {
            var expected = PiiTickets.Cells(page[i]);
            for (var c = 0; c < PiiTickets.Columns.Length; c++)
            {
                if (items[i].GetValueOrDefault(PiiTickets.Columns[c].Name) != (string?)expected[c])
                {
                    throw new InvalidOperationException($"the owner's row {i + 1}, column {PiiTickets.Columns[c].Name}, is '{items[i].GetValueOrDefault(PiiTickets.Columns[c].Name)}'; uploaded '{expected[c]}'");
                }
            }
        }
    }

    /// <summary>The anonymous page: the same rows, each personal value transformed, no raw number anywhere; returns how many notes were masked.</summary>
    private static async Task<int> CheckDesensitisedAsync(HttpClient client, LoadRequest anonymous, List<PiiTickets.Ticket> page, CancellationToken cancellationToken)
    {
        var (body, items) = await PageAsync(client, anonymous, cancellationToken);
        if (items.Count != page.Count)
        {
            throw new InvalidOperationException($"the anonymous page has {items.Count} rows; expected {page.Count}");
        }
        var masked = 0;
        for (var i = 0; i < page.Count; i++)
        {
            var t = page[i];
            var item = items[i];
            void Expect(bool ok, string column)
            {
                if (!ok)
                {
                    var uploaded = PiiTickets.Cells(t)[Array.FindIndex(PiiTickets.Columns, c => c.Name == column)];
                    throw new InvalidOperationException($"the anonymous row {i + 1}, column {column}, is '{item.GetValueOrDefault(column)}' (uploaded '{uploaded}')");
                }
            }
            Expect(item["ticket"] == t.Id, "ticket");
            Expect(item["district"] == t.District, "district");
            Expect(item["name"] == t.Name[..1] + "**", "name");
            Expect(item["mobile"] == t.Mobile[..3] + "****" + t.Mobile[^4..], "mobile");
            Expect(item["address"] == "浙江省宁波市" + t.District, "address");
            var note = item["note"] ?? "";
            Expect(t.Secret is null ? note == t.Note : note.Length == t.Note.Length && !note.Contains(t.Secret, StringComparison.Ordinal), "note");
            masked += note == t.Note ? 0 : 1;
        }
        foreach (var number in page.Select(t => t.Mobile).Concat(page.Where(t => t.Secret is not null).Select(t => t.Secret!)))
        {
            if (body.Contains(number, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the anonymous page holds the raw number {number}");
            }
        }
        return masked;
    }
}
