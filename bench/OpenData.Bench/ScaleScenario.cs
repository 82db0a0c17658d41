using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;

namespace OpenData.Bench;

/// <summary>
/// The load test at scale (issue 19, part 5): three platform hosts on one PostgreSQL database behind a YARP reverse proxy (a child
/// process of the bench, round robin), driven with a mixed workload — catalogue search, cursor walks over the 620,573 villages,
/// a filtered and ordered page, a page with a bearer token, CSV exports, client_credentials tokens, GraphQL pages — by
/// <see cref="BenchOptions.ScaleWorkers"/> closed-loop workers. The baseline is the same workload through a second proxy whose only
/// destination is the first host, in the same run: one-node and three-node slices alternate, so drift from other load on the machine
/// falls on both. Reported: throughput (2xx a second) and its ratio, answers per node (counted by the proxy per destination: the host
/// names no node in its answers), p50/p99 per kind, errors (non-2xx other than 429, and failures; 429s apart), each host's RSS every
/// 10 s, and the CPU time of each host, of each proxy, of the bench (the load driver), of the database's backends and of the whole
/// machine, so the report says where the cores went.
/// </summary>
internal static class ScaleScenario
{
    private const int NodeCount = 3;
    private const string Db = "postgres";
    private const string Search = "宁波";

    /// <summary>Each node's connection pool (Npgsql <c>Maximum Pool Size</c>).</summary>
    private const int MaxPoolSize = 12;

    /// <summary>One three-node slice at most; each round is a one-node slice of half that, then a three-node slice.</summary>
    private static readonly TimeSpan MaxSlice = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private enum Kind
    {
        Catalogue,
        CursorPage,
        FilteredPage,
        BearerPage,
        Export,
        Token,
        GraphQL,
    }

    /// <summary>What each worker sends in turn (each worker starts at its own place in it): reads dominate, as in the soak.</summary>
    private static readonly Kind[] Mix =
    [
        Kind.CursorPage, Kind.Catalogue, Kind.GraphQL, Kind.CursorPage, Kind.Token, Kind.FilteredPage,
        Kind.CursorPage, Kind.Export, Kind.GraphQL, Kind.BearerPage, Kind.Catalogue,
    ];

    /// <summary>A worker's cursor walk over the villages starts again at page 1 after this many pages.</summary>
    private const int WalkPages = 200;

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Catalogue => $"catalogue search (GET /v1/datasets?q={Search})",
        Kind.CursorPage => $"records of villages, limit 100, following next (walks of {WalkPages} pages)",
        Kind.FilteredPage => "records of ningbo-villages where areaCode = '330203' order by name, limit 100",
        Kind.BearerPage => "records of villages where provinceCode = '11', limit 100, with a consumer's bearer token",
        Kind.Export => "CSV export of ningbo-villages (3,042 rows)",
        Kind.Token => "POST /connect/token (client_credentials)",
        Kind.GraphQL => "POST /graphql, records of ningbo-villages, first 100",
        _ => kind.ToString(),
    };

    public static async Task RunAsync(BenchContext context, Dictionary<string, string?> env, PostgresTarget pg, CancellationToken cancellationToken)
    {
        var options = context.Options;
        // Quotas on, as in production, with scenario 7's plans that no run reaches: admission, metering and the daily leases shared by
        // the nodes through quota_leases all run; a 429 would still be counted apart.
        var policies = QuotasScenario.WritePolicies(context);
        var nodeEnv = new Dictionary<string, string?>(env)
        {
            // Three nodes' pools, each grown to the 24 workers' concurrency by the one-node slices, held 80 connections of the server's
            // max_connections (100, shared with other users): capped, as a deployment of several nodes must.
            ["ConnectionStrings__OpenData"] = new Npgsql.NpgsqlConnectionStringBuilder(pg.ConnectionString) { MaxPoolSize = MaxPoolSize }.ConnectionString,
            ["OpenData__Quotas__Enabled"] = "true",
            ["OpenData__Policies__Directory"] = policies,
        };
        var children = new List<ChildProcess>();
        using var stopMeter = new CancellationTokenSource();
        var postgresCpu = new PostgresCpuMeter(pg.Name);
        var meter = postgresCpu.RunAsync(stopMeter.Token);
        Func<TimeSpan> databaseCpu = () => postgresCpu.Total;
        try
        {
            BenchRun.Section($"Scale: {NodeCount} hosts on database {pg.Name}, one after the other (each migrates and ensures the operator app at start)");
            var nodes = new List<ChildProcess>();
            var nodeUrls = new List<string>();
            BenchRun.AppCredentials? operatorApp = null;
            var used = new HashSet<int>();
            for (var i = 1; i <= NodeCount; i++)
            {
                var port = NewPort(used);
                var (node, app) = BenchRun.StartPlatform(context, Db, nodeEnv, port, $"node{i}", operatorApp);
                children.Add(node);
                nodes.Add(node);
                operatorApp = app;
                var url = $"http://127.0.0.1:{port}";
                using var probe = LoadDriver.Client(new Uri(url), 2);
                await node.WaitUntilReadyAsync(probe, url + "/readyz", TimeSpan.FromSeconds(90), cancellationToken);
                nodeUrls.Add(url);
                Console.WriteLine($"node{i}: pid {node.Id} on :{port}");
            }

            var threePort = NewPort(used);
            var onePort = NewPort(used);
            var proxyThree = StartProxy(context, "proxy-three", threePort, nodeUrls);
            children.Add(proxyThree);
            var proxyOne = StartProxy(context, "proxy-one", onePort, nodeUrls.Take(1));
            children.Add(proxyOne);
            using var three = LoadDriver.Client(new Uri($"http://127.0.0.1:{threePort}"), options.ScaleWorkers);
            using var one = LoadDriver.Client(new Uri($"http://127.0.0.1:{onePort}"), options.ScaleWorkers);
            await proxyThree.WaitUntilReadyAsync(three, $"http://127.0.0.1:{threePort}{ProxyServer.StatsPath}", TimeSpan.FromSeconds(60), cancellationToken);
            await proxyOne.WaitUntilReadyAsync(one, $"http://127.0.0.1:{onePort}{ProxyServer.StatsPath}", TimeSpan.FromSeconds(60), cancellationToken);
            Console.WriteLine($"YARP proxies (round robin): pid {proxyThree.Id} on :{threePort} over node1–node{NodeCount}; pid {proxyOne.Id} on :{onePort} over node1 alone");

            // The hosts queue a synthetic twin of every published version at start; it is built once, by whichever node leases it.
            var twins = await WaitForTwinsAsync(pg, cancellationToken);
            Console.WriteLine($"twins built: {twins}");

            var consumer = await BenchRun.CreateConsumerAppAsync(three, operatorApp!, cancellationToken);
            var token = await BenchRun.IssueTokenAsync(three, consumer, cancellationToken);
            var factory = new Requests(consumer, token);
            // Every kind through each proxy once (the three-node one round robin over all): each must answer 2xx before anything is timed.
            foreach (var client in new[] { one, three, three, three })
            {
                foreach (var kind in Enum.GetValues<Kind>())
                {
                    using var message = factory.Create(kind, null);
                    using var response = await client.SendAsync(message, cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"{Describe(kind)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                    }
                }
            }

            BenchRun.Section($"Scale: warm-up, {WarmUp.TotalSeconds:F0} s through the three-node proxy, {WarmUp.TotalSeconds / 2:F0} s through the one-node proxy");
            await MixedLoad.RunAsync(three, factory, options.ScaleWorkers, WarmUp, cancellationToken);
            await MixedLoad.RunAsync(one, factory, options.ScaleWorkers, WarmUp / 2, cancellationToken);

            var slice = options.ScaleDuration < MaxSlice ? options.ScaleDuration : MaxSlice;
            var rounds = (int)Math.Ceiling(options.ScaleDuration / slice);
            BenchRun.Section($"Scale: {options.ScaleWorkers} workers, {rounds} rounds of {slice.TotalSeconds / 2:F0} s on one node then {slice.TotalSeconds:F0} s on {NodeCount} " +
                $"({options.ScaleDuration.TotalSeconds:F0} s on {NodeCount} nodes, {options.ScaleDuration.TotalSeconds / 2:F0} s on one)");
            var clock = Stopwatch.StartNew();
            var phase = "one";
            var samples = new List<RssSample>();
            using var stopSampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stopSampling.IsCancellationRequested)
                {
                    lock (samples)
                    {
                        samples.Add(new RssSample(clock.Elapsed, phase, nodes.Select(n => (n.StatusKb("VmRSS") ?? 0) / 1024.0).ToArray()));
                    }
                    try
                    {
                        await Task.Delay(SampleEvery, stopSampling.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }, CancellationToken.None);

            var oneNode = new Phase("one node", 1);
            var threeNodes = new Phase($"{NodeCount} nodes", NodeCount);
            var left = options.ScaleDuration;
            for (var round = 1; left > TimeSpan.Zero; round++)
            {
                var measured = left < slice ? left : slice;
                left -= measured;
                phase = "one";
                await RunSliceAsync(oneNode, one, factory, measured / 2, options.ScaleWorkers, nodes, proxyThree, proxyOne, databaseCpu, cancellationToken);
                phase = "three";
                await RunSliceAsync(threeNodes, three, factory, measured, options.ScaleWorkers, nodes, proxyThree, proxyOne, databaseCpu, cancellationToken);
                Console.WriteLine($"round {round}/{rounds} at {clock.Elapsed.TotalSeconds:F0} s: one node {oneNode.Throughput:F1} req/s, {NodeCount} nodes {threeNodes.Throughput:F1} req/s so far; " +
                    $"RSS {string.Join(" / ", nodes.Select(n => $"{(n.StatusKb("VmRSS") ?? 0) / 1024.0:F0}"))} MB; load average {BenchReport.LoadAverage()}");
            }
            await stopSampling.CancelAsync();
            await sampler;
            lock (samples)
            {
                samples.Add(new RssSample(clock.Elapsed, "end", nodes.Select(n => (n.StatusKb("VmRSS") ?? 0) / 1024.0).ToArray()));
            }
            foreach (var p in new[] { oneNode, threeNodes })
            {
                Console.WriteLine($"{p.Name}: {p.Throughput:F1} req/s (2xx), p50 {p.All.Percentile(50):F1} ms, p99 {p.All.Percentile(99):F1} ms; {p.ErrorSummary()}");
                foreach (var (kind, stats) in p.Kinds)
                {
                    Console.WriteLine($"  {kind,-12} {stats.Ok / p.Elapsed.TotalSeconds,7:F1} req/s  p50 {stats.Percentile(50),7:F1} ms  p99 {stats.Percentile(99),7:F1} ms  " +
                        $"429 {stats.TooMany}, errors {stats.Errors}{(stats.FirstError is null ? "" : $" (first: {stats.FirstError})")}");
                }
                Console.WriteLine($"  per node: {p.PerNode()}");
                Console.WriteLine($"  CPU: {p.Cpu.Describe(p.Elapsed, p.Answered)}");
            }
            Console.WriteLine($"RSS every {SampleEvery.TotalSeconds:F0} s (MB, node1/node2/node3): " +
                string.Join("; ", samples.Select(s => $"{s.At.TotalSeconds:F0}s {s.Phase} {string.Join("/", s.Mb.Select(m => m.ToString("F0", CultureInfo.InvariantCulture)))}")));
            var warnings = string.Join("; ", Enumerable.Range(1, NodeCount).Select(i => $"node{i}: " + LogWarnings(Path.Combine(context.WorkDirectory, $"node{i}-{Db}.log"))));
            Console.WriteLine($"the hosts' logs: {warnings}");
            Report(context, options, oneNode, threeNodes, samples, slice, rounds, warnings);
        }
        finally
        {
            await stopMeter.CancelAsync();
            await meter;
            // The proxies first, then the hosts (SIGTERM: their last usage flush), each by its own id.
            for (var i = children.Count - 1; i >= 0; i--)
            {
                await children[i].DisposeAsync();
            }
        }
    }

    private static int NewPort(HashSet<int> used)
    {
        var port = ChildProcess.FreePort();
        while (!used.Add(port))
        {
            port = ChildProcess.FreePort();
        }
        return port;
    }

    private static ChildProcess StartProxy(BenchContext context, string name, int port, IEnumerable<string> destinations) =>
        ChildProcess.Start(name, context.Dotnet,
            [BenchContext.BenchDll, "proxy", "--port", port.ToString(CultureInfo.InvariantCulture), "--destinations", string.Join(",", destinations)],
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            context.WorkDirectory, Path.Combine(context.WorkDirectory, $"{name}.log"));

    /// <summary>Waits until the villages' twin is done and no twin is queued or being built (two looks in a row, 3 s apart).</summary>
    private static async Task<string> WaitForTwinsAsync(PostgresTarget pg, CancellationToken cancellationToken)
    {
        var wait = Stopwatch.StartNew();
        var quiet = 0;
        while (wait.Elapsed < TimeSpan.FromMinutes(15))
        {
            await using var connection = await pg.OpenAsync(cancellationToken);
            var row = await connection.QuerySingleAsync<(long Pending, long Done, long Villages)>(
                """
                SELECT COUNT(*) FILTER (WHERE t.status IN ('queued', 'generating')),
                       COUNT(*) FILTER (WHERE t.status NOT IN ('queued', 'generating')),
                       COUNT(*) FILTER (WHERE d.id = @id AND t.status NOT IN ('queued', 'generating'))
                FROM sandbox_twins t JOIN datasets d ON d.key = t.dataset_key
                """, new { id = BenchRun.DatasetId });
            quiet = row.Pending == 0 && row.Villages > 0 ? quiet + 1 : 0;
            if (quiet >= 2)
            {
                return $"{row.Done} done after {wait.Elapsed.TotalSeconds:F0} s of waiting";
            }
            await Task.Delay(3000, cancellationToken);
        }
        throw new InvalidOperationException("the twins were not built within 15 minutes");
    }

    private static async Task RunSliceAsync(Phase phase, HttpClient client, Requests factory, TimeSpan duration, int workers,
        List<ChildProcess> nodes, ChildProcess proxyThree, ChildProcess proxyOne, Func<TimeSpan> databaseCpu, CancellationToken cancellationToken)
    {
        var countsBefore = await ProxyStatsAsync(client, cancellationToken);
        var cpuBefore = CpuSnapshot.Take(nodes, proxyThree, proxyOne, databaseCpu);
        var kinds = await MixedLoad.RunAsync(client, factory, workers, duration, cancellationToken);
        var cpuAfter = CpuSnapshot.Take(nodes, proxyThree, proxyOne, databaseCpu);
        var countsAfter = await ProxyStatsAsync(client, cancellationToken);
        phase.Add(kinds, countsAfter.Zip(countsBefore, (a, b) => a.Minus(b)).ToArray(), cpuAfter.Minus(cpuBefore));
    }

    private static async Task<ProxyCounts[]> ProxyStatsAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(ProxyServer.StatsPath, UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync<ProxyCounts[]>(stream, WebJson, cancellationToken)
            ?? throw new InvalidOperationException("the proxy's counts are empty");
    }

    /// <summary>How many warnings and errors a host logged (console format: a "warn:" or "fail:" line, the message on the next), and the first few messages.</summary>
    private static string LogWarnings(string path)
    {
        if (!File.Exists(path))
        {
            return "no log";
        }
        var lines = File.ReadAllLines(path);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { ["warn"] = 0, ["fail"] = 0, ["crit"] = 0 };
        var messages = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var level = lines[i].Length >= 5 && lines[i][4] == ':' ? lines[i][..4] : null;
            if (level is null || !counts.ContainsKey(level))
            {
                continue;
            }
            counts[level]++;
            var message = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
            if (messages.Count < 3 && !messages.Contains(message))
            {
                messages.Add(message[..Math.Min(message.Length, 200)]);
            }
        }
        return $"{counts["warn"]} warnings, {counts["fail"] + counts["crit"]} errors" + (messages.Count == 0 ? "" : $" (first: {string.Join(" / ", messages)})");
    }

    private static void Report(BenchContext context, BenchOptions options, Phase one, Phase three, List<RssSample> samples, TimeSpan slice, int rounds, string warnings)
    {
        var ratio = three.Throughput / Math.Max(one.Throughput, 1e-9);
        var cores = Environment.ProcessorCount;
        var setting = $"{options.ScaleWorkers} closed-loop workers; {rounds} rounds of {slice.TotalSeconds / 2:F0} s on one node then {slice.TotalSeconds:F0} s on {NodeCount} " +
            $"({three.Elapsed.TotalSeconds:F0} s measured on {NodeCount} nodes, {one.Elapsed.TotalSeconds:F0} s on one) after a {WarmUp.TotalSeconds:F0} s warm-up; " +
            $"both through a YARP 2.3 proxy (round robin; the one-node proxy has node1 alone); quotas on with plans no run reaches; each node's pool at most {MaxPoolSize} connections";
        context.Report.Add(new ScenarioResult(Db, $"scale: the mixed workload on {NodeCount} nodes vs 1, behind a reverse proxy",
            $"{three.Throughput:F1} req/s", $"{one.Throughput:F1} req/s", ratio, $"≥ 2.4× with enough cores", cores >= 8 ? ratio >= 2.4 : null,
            $"{setting}; throughput counts 2xx answers; p50 {three.All.Percentile(50):F1} vs {one.All.Percentile(50):F1} ms, p99 {three.All.Percentile(99):F1} vs " +
            $"{one.All.Percentile(99):F1} ms; " +
            (cores >= 8
                ? ""
                : $"this machine has {cores} cores, shared, so the target does not apply: CPU-bound (see the CPU row); ") +
            $"the mix, in turn per worker: {string.Join(" | ", Mix.Select(k => k.ToString()))}, where {string.Join("; ", Enum.GetValues<Kind>().Select(k => $"{k} = {Describe(k)}"))}"));
        context.Report.Add(new ScenarioResult(Db, "scale: answers per node (counted by the proxy per destination)",
            three.PerNode(), one.PerNode(), null, "info", null,
            $"{NodeCount} nodes: {three.Balance()}; the host names no node in its answers, so the YARP proxy counts what it forwarded to each destination"));
        context.Report.Add(new ScenarioResult(Db, "scale: latency by kind, 3 nodes vs 1 (p50 / p99)",
            $"p50 {three.All.Percentile(50):F1} ms, p99 {three.All.Percentile(99):F1} ms", $"p50 {one.All.Percentile(50):F1} ms, p99 {one.All.Percentile(99):F1} ms", null, "info", null,
            string.Join("; ", three.Kinds.Select(k => $"{k.Key}: {k.Value.Ok / three.Elapsed.TotalSeconds:F1} vs {one.Kinds[k.Key].Ok / one.Elapsed.TotalSeconds:F1} req/s, " +
                $"p50 {k.Value.Percentile(50):F1} vs {one.Kinds[k.Key].Percentile(50):F1} ms, p99 {k.Value.Percentile(99):F1} vs {one.Kinds[k.Key].Percentile(99):F1} ms"))));
        var errors = three.Errors + one.Errors;
        context.Report.Add(new ScenarioResult(Db, "scale: errors (non-2xx other than 429, and failures) and 429s",
            $"{three.Errors} errors, {three.TooMany} × 429", $"{one.Errors} errors, {one.TooMany} × 429", null, "0 errors", errors == 0,
            $"{NodeCount} nodes: {three.ErrorSummary()}; one node: {one.ErrorSummary()}; the hosts' logs over the whole run: {warnings}"));
        context.Report.Add(new ScenarioResult(Db, "scale: CPU, where the cores went (cores busy on average)",
            three.Cpu.Short(three.Elapsed), one.Cpu.Short(one.Elapsed), null, "info", null,
            $"{NodeCount} nodes: {three.Cpu.Describe(three.Elapsed, three.Answered)}; one node: {one.Cpu.Describe(one.Elapsed, one.Answered)}; " +
            $"from /proc/PID/stat (utime + stime) of each process and /proc/stat for the machine; PostgreSQL counts the backends of the bench database only"));
        var perNode = Enumerable.Range(0, NodeCount).Select(i =>
        {
            var series = samples.Select(s => s.Mb[i]).ToList();
            return $"node{i + 1} {series[0]:F0} → max {series.Max():F0} → {series[^1]:F0} MB";
        });
        var byMinute = samples.Where((_, i) => i % (int)(60 / SampleEvery.TotalSeconds) == 0 || i == samples.Count - 1)
            .Select(s => $"{s.At.TotalSeconds:F0} s {string.Join("/", s.Mb.Select(m => m.ToString("F0", CultureInfo.InvariantCulture)))}");
        context.Report.Add(new ScenarioResult(Db, $"scale: RSS of each node over the run (every {SampleEvery.TotalSeconds:F0} s)",
            string.Join(", ", perNode), "", null, "info", null,
            $"{samples.Count} samples from /proc/PID/status (VmRSS); node1 serves both phases, node2 and node3 only the {NodeCount}-node slices; " +
            $"about once a minute (MB, node1/node2/node3): {string.Join("; ", byMinute)}"));
    }

    /// <summary>
    /// The CPU time of the bench database's backends, read every second per backend: a backend that exits (a pool trimming idle
    /// connections) takes at most its last second's time with it, instead of all of it as a sum read at the ends of a slice would.
    /// </summary>
    private sealed class PostgresCpuMeter(string database)
    {
        private readonly Dictionary<int, TimeSpan> _seen = [];
        private long _ticks;

        public TimeSpan Total
        {
            get
            {
                Poll();
                return TimeSpan.FromTicks(Interlocked.Read(ref _ticks));
            }
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Poll();
                try
                {
                    await Task.Delay(1000, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        private void Poll()
        {
            lock (_seen)
            {
                var now = ChildProcess.PostgresBackendsCpuTimes(database);
                foreach (var (pid, cpu) in now)
                {
                    var before = _seen.GetValueOrDefault(pid);
                    if (cpu > before)
                    {
                        Interlocked.Add(ref _ticks, (cpu - before).Ticks);
                    }
                }
                _seen.Clear();
                foreach (var (pid, cpu) in now)
                {
                    _seen[pid] = cpu;
                }
            }
        }
    }

    private sealed record RssSample(TimeSpan At, string Phase, double[] Mb);

    /// <summary>Builds each kind's request; the cursor walk's next page takes the cursor its worker holds.</summary>
    private sealed class Requests(BenchRun.AppCredentials consumer, string token)
    {
        private readonly LoadRequest _graphql = GraphQLScenario.GraphQLRequest(100, null, null);

        private static readonly string BearerPath =
            $"/v1/datasets/{BenchRun.DatasetId}/records?limit=100&where=" + Uri.EscapeDataString("provinceCode = '11'");

        public HttpRequestMessage Create(Kind kind, string? cursor) => kind switch
        {
            Kind.Catalogue => Get("/v1/datasets?q=" + Uri.EscapeDataString(Search)),
            Kind.CursorPage => Get($"/v1/datasets/{BenchRun.DatasetId}/records?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))),
            Kind.FilteredPage => Get(GraphQLScenario.RestPath(100, "areaCode = '330203'", "name")),
            Kind.BearerPage => Bearer(Get(BearerPath)),
            Kind.Export => Get($"/v1/datasets/{GraphQLScenario.DatasetId}/export?format=csv"),
            Kind.Token => new HttpRequestMessage(HttpMethod.Post, new Uri("/connect/token", UriKind.Relative))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials", ["client_id"] = consumer.ClientId, ["client_secret"] = consumer.ClientSecret,
                }),
            },
            Kind.GraphQL => _graphql.Create(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, new Uri(path, UriKind.Relative));

        private HttpRequestMessage Bearer(HttpRequestMessage message)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return message;
        }
    }

    /// <summary>What one kind of request measured: answers by status, latencies of its 2xx answers, the first error.</summary>
    private sealed class KindStats
    {
        public long Ok;
        public long TooMany;
        public long Errors;
        public long Bytes;
        public string? FirstError;
        public List<double> Latencies { get; } = [];

        public void Merge(KindStats other)
        {
            Ok += other.Ok;
            TooMany += other.TooMany;
            Errors += other.Errors;
            Bytes += other.Bytes;
            FirstError ??= other.FirstError;
            Latencies.AddRange(other.Latencies);
        }

        public double Percentile(double p)
        {
            if (Latencies.Count == 0)
            {
                return double.NaN;
            }
            Latencies.Sort();
            return Latencies[Math.Clamp((int)Math.Ceiling(p / 100 * Latencies.Count) - 1, 0, Latencies.Count - 1)];
        }
    }

    /// <summary>
    /// N closed-loop workers sending the mix in turn for a fixed time; unlike <see cref="LoadDriver"/> an answer that is not 2xx is
    /// counted (429 apart), not fatal. Every body is read to its end; a cursor page's is parsed for its next cursor.
    /// </summary>
    private static class MixedLoad
    {
        public static async Task<Dictionary<Kind, KindStats>> RunAsync(HttpClient client, Requests factory, int workers, TimeSpan duration, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
            {
                var stats = Enum.GetValues<Kind>().ToDictionary(k => k, _ => new KindStats());
                var buffer = new byte[64 * 1024];
                string? cursor = null;
                var pages = 0;
                for (var i = w * 7; clock.Elapsed < duration; i++)
                {
                    var kind = Mix[i % Mix.Length];
                    var s = stats[kind];
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        using var message = factory.Create(kind, cursor);
                        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                        var status = (int)response.StatusCode;
                        if (!response.IsSuccessStatusCode)
                        {
                            var text = await response.Content.ReadAsStringAsync(cancellationToken);
                            s.Bytes += text.Length;
                            if (status == 429)
                            {
                                s.TooMany++;
                            }
                            else
                            {
                                s.Errors++;
                                s.FirstError ??= $"{message.Method} {message.RequestUri?.PathAndQuery} answered {status}: {text[..Math.Min(text.Length, 400)]}";
                            }
                            continue;
                        }
                        if (kind == Kind.CursorPage)
                        {
                            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                            s.Bytes += body.Length;
                            using var document = JsonDocument.Parse(body);
                            var next = document.RootElement.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                            pages++;
                            (cursor, pages) = next is null || pages >= WalkPages ? (null, 0) : (next, pages);
                        }
                        else
                        {
                            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                            int read;
                            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                            {
                                s.Bytes += read;
                            }
                        }
                        s.Ok++;
                        s.Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                    {
                        s.Errors++;
                        s.FirstError ??= $"{kind}: {e.GetType().Name}: {e.Message}";
                        cursor = null;
                        pages = 0;
                    }
                }
                return stats;
            }, cancellationToken)));
            var merged = Enum.GetValues<Kind>().ToDictionary(k => k, _ => new KindStats());
            foreach (var result in results)
            {
                foreach (var (kind, stats) in result)
                {
                    merged[kind].Merge(stats);
                }
            }
            return merged;
        }
    }

    /// <summary>CPU time so far of every process in the test, and of the whole machine.</summary>
    private sealed record CpuSnapshot(TimeSpan[] Nodes, TimeSpan ProxyThree, TimeSpan ProxyOne, TimeSpan Bench, TimeSpan Database, TimeSpan MachineBusy, TimeSpan Wall)
    {
        private static readonly long Origin = Stopwatch.GetTimestamp();

        public static CpuSnapshot Take(List<ChildProcess> nodes, ChildProcess proxyThree, ChildProcess proxyOne, Func<TimeSpan> databaseCpu)
        {
            using var self = Process.GetCurrentProcess();
            return new CpuSnapshot(nodes.Select(n => n.CpuTime()).ToArray(), proxyThree.CpuTime(), proxyOne.CpuTime(), self.TotalProcessorTime, databaseCpu(),
                ReadMachineBusy(), Stopwatch.GetElapsedTime(Origin));
        }

        public CpuSnapshot Minus(CpuSnapshot before) => new(
            Nodes.Zip(before.Nodes, (a, b) => a - b).ToArray(), ProxyThree - before.ProxyThree, ProxyOne - before.ProxyOne, Bench - before.Bench,
            Database - before.Database, MachineBusy - before.MachineBusy, Wall - before.Wall);

        public CpuSnapshot Plus(CpuSnapshot other) => new(
            Nodes.Zip(other.Nodes, (a, b) => a + b).ToArray(), ProxyThree + other.ProxyThree, ProxyOne + other.ProxyOne, Bench + other.Bench,
            Database + other.Database, MachineBusy + other.MachineBusy, Wall + other.Wall);

        public static CpuSnapshot Zero(int nodes) => new(new TimeSpan[nodes], default, default, default, default, default, default);

        /// <summary>Busy time of all cores (user, nice, system, irq, softirq, steal) from the first line of /proc/stat, in ticks of 10 ms.</summary>
        private static TimeSpan ReadMachineBusy()
        {
            try
            {
                var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                long Field(int i) => i < fields.Length ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
                return TimeSpan.FromMilliseconds((Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) * 10);
            }
            catch (IOException)
            {
                return TimeSpan.Zero;
            }
        }

        private double Cores(TimeSpan cpu) => cpu / Wall;

        private TimeSpan Ours => Nodes.Aggregate(TimeSpan.Zero, (a, b) => a + b) + ProxyThree + ProxyOne + Bench + Database;

        public string Short(TimeSpan elapsed) =>
            $"hosts {Cores(Nodes.Aggregate(TimeSpan.Zero, (a, b) => a + b)):F2}, PostgreSQL {Cores(Database):F2}, proxy {Cores(ProxyThree + ProxyOne):F2}, " +
            $"bench {Cores(Bench):F2}, others {Cores(MachineBusy - Ours):F2} of {Environment.ProcessorCount}";

        public string Describe(TimeSpan elapsed, long requests) =>
            $"cores busy on average — machine {Cores(MachineBusy):F2} of {Environment.ProcessorCount}: " +
            string.Join(", ", Nodes.Select((n, i) => $"node{i + 1} {Cores(n):F2}")) +
            $", PostgreSQL backends {Cores(Database):F2}, proxy {Cores(ProxyThree + ProxyOne):F2}, bench (load driver) {Cores(Bench):F2}, " +
            $"other processes on the machine {Cores(MachineBusy - Ours):F2}; per 2xx answer: hosts {Nodes.Aggregate(TimeSpan.Zero, (a, b) => a + b).TotalMilliseconds / Math.Max(1, requests):F2} ms, " +
            $"PostgreSQL {Database.TotalMilliseconds / Math.Max(1, requests):F2} ms, proxy {(ProxyThree + ProxyOne).TotalMilliseconds / Math.Max(1, requests):F2} ms, " +
            $"bench {Bench.TotalMilliseconds / Math.Max(1, requests):F2} ms ({elapsed.TotalSeconds:F0} s measured)";
    }

    /// <summary>One side of the comparison, summed over its slices.</summary>
    private sealed class Phase(string name, int nodes)
    {
        public string Name { get; } = name;

        public TimeSpan Elapsed { get; private set; }

        public Dictionary<Kind, KindStats> Kinds { get; } = Enum.GetValues<Kind>().ToDictionary(k => k, _ => new KindStats());

        public KindStats All
        {
            get
            {
                var all = new KindStats();
                foreach (var k in Kinds.Values)
                {
                    all.Merge(k);
                }
                return all;
            }
        }

        public ProxyCounts[] PerDestination { get; private set; } = [];

        public CpuSnapshot Cpu { get; private set; } = CpuSnapshot.Zero(NodeCount);

        /// <summary>2xx answers: the throughput's count.</summary>
        public long Answered => Kinds.Values.Sum(k => k.Ok);

        public long Errors => Kinds.Values.Sum(k => k.Errors);

        public long TooMany => Kinds.Values.Sum(k => k.TooMany);

        public double Throughput => Answered / Math.Max(Elapsed.TotalSeconds, 1e-9);

        public void Add(Dictionary<Kind, KindStats> kinds, ProxyCounts[] counts, CpuSnapshot cpu)
        {
            foreach (var (kind, stats) in kinds)
            {
                Kinds[kind].Merge(stats);
            }
            Elapsed += cpu.Wall;
            PerDestination = PerDestination.Length == 0
                ? counts
                : PerDestination.Zip(counts, (a, b) => new ProxyCounts(a.Destination, a.Success + b.Success, a.TooMany + b.TooMany, a.Other + b.Other, a.Failed + b.Failed)).ToArray();
            Cpu = Cpu.Plus(cpu);
        }

        public string PerNode() => string.Join(", ", PerDestination.Take(nodes).Select(d => $"{d.Destination} {d.Success / Math.Max(Elapsed.TotalSeconds, 1e-9):F1}/s"));

        public string Balance()
        {
            var served = PerDestination.Take(nodes).Select(d => d.Total).ToArray();
            var total = Math.Max(1, served.Sum());
            return string.Join(", ", PerDestination.Take(nodes).Select(d => $"{d.Destination} {d.Total:N0} answers ({100.0 * d.Total / total:F1} %, 429 {d.TooMany}, other non-2xx {d.Other}, not forwarded {d.Failed})"));
        }

        public string ErrorSummary() =>
            $"{Errors} errors, {TooMany} × 429" + (Kinds.Values.FirstOrDefault(k => k.FirstError is not null)?.FirstError is { } first ? $" (first: {first})" : "") +
            $"; the proxy saw {PerDestination.Sum(d => d.Other)} other non-2xx and {PerDestination.Sum(d => d.Failed)} it could not forward";
    }
}
