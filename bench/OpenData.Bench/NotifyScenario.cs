using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace OpenData.Bench;

/// <summary>
/// Scenario 15 (issue 19): cache invalidation across nodes on PostgreSQL. Two platform hosts on one store, each caching a dataset's
/// schema for an hour (<c>OpenData__Catalogue__ReadCacheSeconds=3600</c>); the owner tags and untags a column on node A, and the
/// time from A's answer to node B serving the page the new way is measured (B forgets through LISTEN/NOTIFY), against a bare
/// NOTIFY round trip between two connections of the bench in the same run. Without the signal, B would follow only within its
/// cache interval (2 s by default).
/// </summary>
internal static class NotifyScenario
{
    private const string Owner = "ningbo-12345-hotline";
    private const string DatasetId = "bench-notify";
    private const int Probes = 40;

    private static readonly string[] OwnerScopes = ["catalogue:read", "records:read", "datasets:write"];

    public static async Task RunAsync(BenchContext context, Dictionary<string, string?> env, string connectionString, CancellationToken cancellationToken)
    {
        const string db = "postgres";
        BenchRun.Section($"Scenario 15 ({db}): a tag on node A seen on node B (LISTEN/NOTIFY), caches an hour long, vs a bare NOTIFY round trip");
        var hostEnv = new Dictionary<string, string?>(env) { ["OpenData__Catalogue__ReadCacheSeconds"] = "3600" };
        var portA = ChildProcess.FreePort();
        var portB = ChildProcess.FreePort();
        while (portB == portA)
        {
            portB = ChildProcess.FreePort();
        }
        var (startedA, operatorApp) = BenchRun.StartPlatform(context, db, hostEnv, portA, "node-a");
        await using var a = startedA;
        var (startedB, _) = BenchRun.StartPlatform(context, db, hostEnv, portB, "node-b", operatorApp);
        await using var b = startedB;
        using var clientA = LoadDriver.Client(new Uri($"http://127.0.0.1:{portA}"), 1);
        using var clientB = LoadDriver.Client(new Uri($"http://127.0.0.1:{portB}"), 1);
        await a.WaitUntilReadyAsync(clientA, $"http://127.0.0.1:{portA}/readyz", TimeSpan.FromSeconds(60), cancellationToken);
        await b.WaitUntilReadyAsync(clientB, $"http://127.0.0.1:{portB}/readyz", TimeSpan.FromSeconds(60), cancellationToken);
        Console.WriteLine($"node A pid {a.Id} on :{portA}, node B pid {b.Id} on :{portB}");

        var operatorToken = await BenchRun.IssueTokenAsync(clientA, operatorApp, cancellationToken);
        using var created = await BenchRun.SendJsonAsync(clientA, HttpMethod.Post, $"/v1/tenants/{Owner}/apps", operatorToken,
            new { name = "bench-notify", scopes = OwnerScopes }, cancellationToken);
        var ownerApp = new BenchRun.AppCredentials(created.RootElement.GetProperty("clientId").GetString()!, created.RootElement.GetProperty("clientSecret").GetString()!);
        var ownerToken = await BenchRun.IssueTokenAsync(clientA, ownerApp, cancellationToken);
        (await BenchRun.SendJsonAsync(clientA, HttpMethod.Post, "/v1/datasets", ownerToken, new
        {
            id = DatasetId, title = "缓存失效基准（虚构数据）", description = "One row whose column the bench tags and untags.", theme = "public-services",
            classification = "open", license = "CC-BY-4.0", updateFrequency = "irregular",
            columns = new object[] { new { name = "n", type = "integer" }, new { name = "person", type = "string" } },
        }, cancellationToken)).Dispose();
        await UploadAsync(clientA, ownerToken, "n,person\n1,Alice\n", cancellationToken);

        var path = $"/v1/datasets/{DatasetId}/records?select=person";
        var delays = new List<double>();
        for (var i = 0; i < Probes; i++)
        {
            var tag = i % 2 == 0 ? "pii.name" : null;
            // B reads (and caches) the page as it is, then the owner changes the tag on A.
            var before = await PersonAsync(clientB, path, cancellationToken);
            using (await BenchRun.SendJsonAsync(clientA, HttpMethod.Patch, $"/v1/datasets/{DatasetId}/columns/person", ownerToken, new { tag }, cancellationToken))
            {
            }
            var watch = Stopwatch.StartNew();
            while (await PersonAsync(clientB, path, cancellationToken) == before)
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new InvalidOperationException($"node B still served '{before}' 10 s after the tag changed on node A: no NOTIFY arrived");
                }
            }
            delays.Add(watch.Elapsed.TotalMilliseconds);
        }
        var bare = await BareRoundTripsAsync(connectionString, Probes, cancellationToken);
        delays.Sort();
        bare.Sort();
        var median = delays[delays.Count / 2];
        var bareMedian = bare[bare.Count / 2];
        Console.WriteLine($"tag on A → B serves it: median {median:F2} ms, p90 {delays[delays.Count * 9 / 10]:F2} ms, max {delays[^1]:F2} ms (n={Probes})");
        Console.WriteLine($"bare NOTIFY round trip: median {bareMedian:F2} ms, p90 {bare[bare.Count * 9 / 10]:F2} ms (n={Probes})");
        context.Report.Add(new ScenarioResult(db, "cache invalidation across nodes: a tag on node A seen on node B (NOTIFY) vs a bare NOTIFY round trip",
            $"median {median:F1} ms", $"median {bareMedian:F2} ms", bareMedian / median, "median < 100 ms (interval 2 s)", median < 100,
            $"n={Probes} tag/untag changes; p90 {delays[delays.Count * 9 / 10]:F1} ms, max {delays[^1]:F1} ms. Measured from node A's answer to the PATCH to the " +
            "first page node B serves the new way (B asked again at once, one request at a time, so the figure includes up to one page's time); both " +
            "nodes cache the dataset for an hour, so only the signal explains B's change. The bare figure: NOTIFY on one connection to the notification " +
            "on another, both in the bench process"));
    }

    private static async Task<string> PersonAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {text}");
        }
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("items")[0].GetProperty("person").GetString() ?? "";
    }

    private static async Task UploadAsync(HttpClient client, string token, string csv, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/v1/datasets/{DatasetId}/versions", UriKind.Relative))
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"the upload answered {(int)response.StatusCode}: {body}");
        }
        var location = response.Headers.Location!;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var poll = new HttpRequestMessage(HttpMethod.Get, location);
            poll.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var answer = await client.SendAsync(poll, cancellationToken);
            using var job = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
            var status = job.RootElement.GetProperty("status").GetString();
            if (status == "succeeded")
            {
                return;
            }
            if (status == "failed")
            {
                throw new InvalidOperationException($"the upload failed: {job.RootElement}");
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new TimeoutException("the upload did not finish within 60 s");
    }

    /// <summary>NOTIFY on one connection, the notification on another: the floor under the platform's figure.</summary>
    private static async Task<List<double>> BareRoundTripsAsync(string connectionString, int count, CancellationToken cancellationToken)
    {
        await using var listener = new NpgsqlConnection(connectionString);
        await listener.OpenAsync(cancellationToken);
        await using var sender = new NpgsqlConnection(connectionString);
        await sender.OpenAsync(cancellationToken);
        TaskCompletionSource<string>? arrived = null;
        listener.Notification += (_, e) => arrived?.TrySetResult(e.Payload);
        await using (var listen = new NpgsqlCommand("LISTEN bench_notify", listener))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }
        var delays = new List<double>();
        for (var i = 0; i < count; i++)
        {
            arrived = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiting = listener.WaitAsync(cancellationToken);
            var watch = Stopwatch.StartNew();
            await using (var notify = new NpgsqlCommand($"NOTIFY bench_notify, 'probe-{i}'", sender))
            {
                await notify.ExecuteNonQueryAsync(cancellationToken);
            }
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            delays.Add(watch.Elapsed.TotalMilliseconds);
            await waiting;
        }
        return delays;
    }
}
