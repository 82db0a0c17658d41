using System.Diagnostics;
using System.Net;

namespace OpenData.Bench;

/// <summary>
/// The soak (issue 13): a mixed anonymous workload — record pages of the seeded villages with and without a filter and sort,
/// a masked page of the food licences (transforms and the outbound check), an air-quality page as CSV, a catalogue search —
/// first at full speed to measure the host's capacity, then paced at 80 % of it for <c>--soak-minutes</c> (10 by default).
/// It passes with zero errors (every answer 200, no exception) and flat memory: the host's resident set after the first
/// minute (warm) and at the end differ by less than 64 MB, and its least-squares slope over the run after the first minute is
/// under 2 MB a minute.
/// </summary>
internal static class SoakScenario
{
    private static readonly string[] Paths =
    [
        "/v1/datasets/ningbo-villages/records?limit=100",
        "/v1/datasets/ningbo-villages/records?limit=100&where=" + Uri.EscapeDataString("areaCode = '330203'") + "&order_by=name",
        "/v1/datasets/ningbo-food-business-licences/records?limit=100",
        "/v1/datasets/ningbo-air-quality-daily/records?limit=50&format=csv",
        "/v1/datasets?q=" + Uri.EscapeDataString("宁波"),
    ];

    /// <summary>Requests the pacer lets wait for a connection, as seconds of the paced rate: a pause of the host (a GC, a database
    /// checkpoint) shorter than this is ridden out and shows in the latency; a host that falls further behind has requests not sent.</summary>
    private const double MaxBehindSeconds = 2;

    /// <summary>Connections of the paced phase: with the capacity run's few, a 100 ms pause of the host (a GC, a database
    /// checkpoint) queued the pacer's requests behind them and stalled it, which measured the client, not the host.</summary>
    private const int PacedConnections = 64;

    public static async Task RunAsync(BenchContext context, string db, ChildProcess platform, HttpClient client, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var minutes = options.SoakMinutes;
        foreach (var path in Paths)
        {
            using var check = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            if (check.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)check.StatusCode}: {await check.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        BenchRun.Section($"Soak ({db}): capacity of the mixed workload ({Paths.Length} requests in turn, {options.Workers} workers, 20 s after 10 s warm-up)");
        var mix = new LoadRequest("the mix", NextRequest());
        await LoadDriver.RunAsync(client, mix, options.Workers, TimeSpan.FromSeconds(10), cancellationToken);
        var capacity = await LoadDriver.RunAsync(client, mix, options.Workers, TimeSpan.FromSeconds(20), cancellationToken);
        var rate = capacity.RequestsPerSecond * 0.8;
        Console.WriteLine($"capacity {capacity.Describe()}; soaking at 80 %: {rate:F0} req/s for {minutes} min");

        BenchRun.Section($"Soak ({db}): {rate:F0} req/s for {minutes} min, {PacedConnections} connections");
        using var paced = LoadDriver.Client(client.BaseAddress!, PacedConnections);
        var interval = TimeSpan.FromSeconds(1 / rate);
        var started = Stopwatch.StartNew();
        var duration = TimeSpan.FromMinutes(minutes);
        var maxInFlight = (int)Math.Ceiling(rate * MaxBehindSeconds);
        var inFlight = new SemaphoreSlim(maxInFlight);
        long sent = 0, ok = 0, errors = 0, skipped = 0;
        string? firstError = null;
        var latencies = new List<double>[minutes];
        for (var m = 0; m < minutes; m++)
        {
            latencies[m] = [];
        }
        var rss = new List<(double Minute, double Mb)>();
        var running = new List<Task>();
        var nextSample = TimeSpan.Zero;
        var create = NextRequest();
        while (started.Elapsed < duration)
        {
            var due = TimeSpan.FromTicks(interval.Ticks * sent);
            var wait = due - started.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }
            if (started.Elapsed >= nextSample)
            {
                rss.Add((started.Elapsed.TotalMinutes, (platform.StatusKb("VmRSS") ?? 0) / 1024.0));
                nextSample += TimeSpan.FromSeconds(10);
                running.RemoveAll(t => t.IsCompleted);
            }
            sent++;
            if (!inFlight.Wait(0, cancellationToken))
            {
                // The host fell behind by more than MaxBehindSeconds of requests: counted, not queued without bound.
                Interlocked.Increment(ref skipped);
                continue;
            }
            var minute = Math.Min(minutes - 1, (int)started.Elapsed.TotalMinutes);
            // Latency counts from when the request was due, not from when it left: a request held up behind a pause of the host
            // is charged the wait (no coordinated omission).
            var t0 = Stopwatch.GetTimestamp() - (long)(Math.Max(0, (started.Elapsed - due).TotalSeconds) * Stopwatch.Frequency);
            running.Add(Task.Run(async () =>
            {
                try
                {
                    using var message = create();
                    using var response = await paced.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref ok);
                        lock (latencies[minute])
                        {
                            latencies[minute].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, $"{message.RequestUri} answered {(int)response.StatusCode}", null);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
                }
                finally
                {
                    inFlight.Release();
                }
            }, cancellationToken));
        }
        await Task.WhenAll(running);
        rss.Add((started.Elapsed.TotalMinutes, (platform.StatusKb("VmRSS") ?? 0) / 1024.0));

        var perMinute = string.Join(", ", latencies.Select((l, m) => l.Count == 0 ? $"{m + 1}: -" : $"{m + 1}: p50 {Percentile(l, 50):F1}/p99 {Percentile(l, 99):F1} ms"));
        var warm = rss.Where(s => s.Minute >= 1).ToList();
        var startMb = warm.Count > 0 ? warm[0].Mb : rss[0].Mb;
        var endMb = rss[^1].Mb;
        var slope = Slope(warm);
        var achieved = ok / started.Elapsed.TotalSeconds;
        var flat = endMb - startMb < 64 && slope < 2;
        var met = errors == 0 && skipped == 0 && flat;
        Console.WriteLine($"sent {sent:N0}, 200 {ok:N0}, errors {errors:N0}{(firstError is null ? "" : $" (first: {firstError})")}, not sent (host behind by {maxInFlight}) {skipped:N0}; " +
            $"achieved {achieved:F0} req/s; RSS {rss[0].Mb:F0} MB at start, {startMb:F0} MB after the first minute, {endMb:F0} MB at the end, slope {slope:F2} MB/min");
        Console.WriteLine($"latency by minute: {perMinute}");
        context.Report.Add(new ScenarioResult(db, $"soak: the mixed anonymous workload at 80 % of capacity for {minutes} min",
            $"{achieved:F0} req/s", $"{capacity.RequestsPerSecond:F0} req/s", achieved / capacity.RequestsPerSecond, "0 errors, flat RSS", met,
            $"{sent:N0} requests paced at {rate:F0} req/s; 200: {ok:N0}; errors: {errors:N0}{(firstError is null ? "" : $" (first: {firstError})")}; not sent because {maxInFlight} were in flight: {skipped:N0}; " +
            $"host RSS {rss[0].Mb:F0} MB at start, {startMb:F0} MB after the first minute, {endMb:F0} MB at the end (growth {endMb - startMb:F0} MB, limit 64), " +
            $"least-squares slope after the first minute {slope:F2} MB/min (limit 2); latency by minute: {perMinute}; the mix: {string.Join(" | ", Paths)}"));
    }

    private static Func<HttpRequestMessage> NextRequest()
    {
        var next = -1;
        return () => new HttpRequestMessage(HttpMethod.Get, new Uri(Paths[(int)((uint)Interlocked.Increment(ref next) % Paths.Length)], UriKind.Relative));
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static double Slope(List<(double Minute, double Mb)> samples)
    {
        if (samples.Count < 2)
        {
            return 0;
        }
        var mx = samples.Average(s => s.Minute);
        var my = samples.Average(s => s.Mb);
        var sxx = samples.Sum(s => (s.Minute - mx) * (s.Minute - mx));
        return sxx == 0 ? 0 : samples.Sum(s => (s.Minute - mx) * (s.Mb - my)) / sxx;
    }
}
