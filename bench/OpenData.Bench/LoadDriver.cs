using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace OpenData.Bench;

/// <summary>What a load run measured: requests completed, time, bytes, latencies.</summary>
internal sealed class LoadStats
{
    public long Requests { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>CPU time the serving process used during the measured slices, when known.</summary>
    public TimeSpan ServerCpu { get; set; }

    public double CpuMsPerRequest => ServerCpu.TotalMilliseconds / Math.Max(1, Requests);

    /// <summary>CPU time of the database's own processes during the measured slices, when asked for.</summary>
    public TimeSpan DatabaseCpu { get; set; }

    public double DatabaseCpuMsPerRequest => DatabaseCpu.TotalMilliseconds / Math.Max(1, Requests);

    private readonly List<double> _latencies = [];

    public double RequestsPerSecond => Requests / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double Percentile(double p)
    {
        if (_latencies.Count == 0)
        {
            return double.NaN;
        }
        _latencies.Sort();
        var index = (int)Math.Ceiling(p / 100.0 * _latencies.Count) - 1;
        return _latencies[Math.Clamp(index, 0, _latencies.Count - 1)];
    }

    public void Add(long requests, TimeSpan elapsed, long bytes, IEnumerable<double> latencies)
    {
        Requests += requests;
        Elapsed += elapsed;
        Bytes += bytes;
        _latencies.AddRange(latencies);
    }

    public void Merge(LoadStats other)
    {
        Add(other.Requests, other.Elapsed, other.Bytes, other._latencies);
        ServerCpu += other.ServerCpu;
        DatabaseCpu += other.DatabaseCpu;
    }

    public string Describe() =>
        $"{RequestsPerSecond,8:F1} req/s  p50 {Percentile(50),6:F1} ms  p99 {Percentile(99),6:F1} ms  ({Requests} requests in {Elapsed.TotalSeconds:F1} s" +
        (ServerCpu > TimeSpan.Zero ? $", server CPU {CpuMsPerRequest:F2} ms a request)" : ")");
}

/// <summary>N concurrent HttpClient workers issuing the same GET for a fixed time; every answer must be 200 and is read to its end.</summary>
internal static class LoadDriver
{
    public static HttpClient Client(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(5),
    };

    public static Task<LoadStats> RunAsync(HttpClient client, string path, int workers, TimeSpan duration, CancellationToken cancellationToken) =>
        RunAsync(client, Get(path), workers, duration, cancellationToken);

    /// <summary>A request factory for a plain GET of <paramref name="path"/>.</summary>
    public static LoadRequest Get(string path) => new($"GET {path}", () => new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)));

    /// <summary>N workers sending a fresh request from <paramref name="request"/> in a loop; every answer must be 200 and is read to its end.</summary>
    public static async Task<LoadStats> RunAsync(HttpClient client, LoadRequest request, int workers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var stats = new LoadStats();
        if (duration <= TimeSpan.Zero)
        {
            return stats;
        }
        var clock = Stopwatch.StartNew();
        string? failure = null;
        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>(4096);
            var buffer = new byte[64 * 1024];
            long bytes = 0;
            while (clock.Elapsed < duration && failure is null)
            {
                var started = Stopwatch.GetTimestamp();
                using var message = request.Create();
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failure ??= $"{request.Label} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
                    break;
                }
                await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
                {
                    int read;
                    while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        bytes += read;
                    }
                }
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            return (latencies, bytes);
        }, cancellationToken)).ToArray();
        var results = await Task.WhenAll(tasks);
        clock.Stop();
        if (failure is not null)
        {
            throw new InvalidOperationException(failure);
        }
        stats.Add(results.Sum(r => r.latencies.Count), clock.Elapsed, results.Sum(r => r.bytes), results.SelectMany(r => r.latencies));
        return stats;
    }

    /// <summary>
    /// Loads one path in 2 s slices until the serving host's CPU a request stops falling (two slices in a row within 5 % of the one
    /// before), at least 6 and at most 12 slices; returns the time spent. For a path that runs code nothing before it ran (scenario 6's
    /// transforms and PII scanner, scenario 7's quota admission on a fresh host): on two cores a perf profile of the host showed the JIT
    /// at 14 % of its samples through the first 4 s slice measured after the usual 2 s warm-up, and at nothing in the next one, so
    /// without this the newer side pays for tiered compilation.
    /// </summary>
    public static async Task<TimeSpan> SettleAsync(HttpClient client, LoadRequest request, ChildProcess server, int workers, string label, CancellationToken cancellationToken)
    {
        var slice = TimeSpan.FromSeconds(2);
        var cpu = new List<double>();
        while (cpu.Count < 12)
        {
            var before = server.CpuTime();
            var stats = await RunAsync(client, request, workers, slice, cancellationToken);
            cpu.Add((server.CpuTime() - before).TotalMilliseconds / Math.Max(1, stats.Requests));
            var n = cpu.Count;
            if (n >= 6 && cpu[n - 1] >= 0.95 * cpu[n - 2] && cpu[n - 2] >= 0.95 * cpu[n - 3])
            {
                break;
            }
        }
        Console.WriteLine($"settled the {label} path: host CPU {string.Join(", ", cpu.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)))} ms a request in {slice.TotalSeconds:F0} s slices");
        return slice * cpu.Count;
    }

    /// <summary>
    /// Compares two endpoints fairly: a warm-up of each, then <paramref name="rounds"/> alternating slices of
    /// <paramref name="duration"/>/rounds each, so drift from other load on the machine falls on both sides alike.
    /// </summary>
    public static Task<(LoadStats A, LoadStats B)> CompareAsync(
        HttpClient clientA, string pathA, HttpClient clientB, string pathB, BenchOptions options, CancellationToken cancellationToken,
        ChildProcess? serverA = null, ChildProcess? serverB = null) =>
        CompareAsync(clientA, Get(pathA), clientB, Get(pathB), options, cancellationToken, serverA, serverB);

    /// <inheritdoc cref="CompareAsync(HttpClient, string, HttpClient, string, BenchOptions, CancellationToken, ChildProcess?, ChildProcess?)"/>
    public static async Task<(LoadStats A, LoadStats B)> CompareAsync(
        HttpClient clientA, LoadRequest requestA, HttpClient clientB, LoadRequest requestB, BenchOptions options, CancellationToken cancellationToken,
        ChildProcess? serverA = null, ChildProcess? serverB = null, Func<TimeSpan>? databaseCpu = null)
    {
        await RunAsync(clientA, requestA, options.Workers, options.Warmup, cancellationToken);
        await RunAsync(clientB, requestB, options.Workers, options.Warmup, cancellationToken);
        var a = new LoadStats();
        var b = new LoadStats();
        var slice = options.Duration / options.Rounds;
        for (var round = 0; round < options.Rounds; round++)
        {
            var cpu = serverA?.CpuTime() ?? TimeSpan.Zero;
            var db = databaseCpu?.Invoke() ?? TimeSpan.Zero;
            var sa = await RunAsync(clientA, requestA, options.Workers, slice, cancellationToken);
            sa.ServerCpu = (serverA?.CpuTime() ?? TimeSpan.Zero) - cpu;
            sa.DatabaseCpu = (databaseCpu?.Invoke() ?? TimeSpan.Zero) - db;
            cpu = serverB?.CpuTime() ?? TimeSpan.Zero;
            db = databaseCpu?.Invoke() ?? TimeSpan.Zero;
            var sb = await RunAsync(clientB, requestB, options.Workers, slice, cancellationToken);
            sb.ServerCpu = (serverB?.CpuTime() ?? TimeSpan.Zero) - cpu;
            sb.DatabaseCpu = (databaseCpu?.Invoke() ?? TimeSpan.Zero) - db;
            a.Merge(sa);
            b.Merge(sb);
        }
        return (a, b);
    }
}

/// <summary>What a load worker sends: a label for errors, and a factory for a fresh message each time (a message is sent once).</summary>
internal sealed record LoadRequest(string Label, Func<HttpRequestMessage> Create);
