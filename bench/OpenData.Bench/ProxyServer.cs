using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.LoadBalancing;

namespace OpenData.Bench;

/// <summary>
/// The scale test's reverse proxy (<c>OpenData.Bench.dll proxy --port P --destinations URL,URL,…</c>), a child process of the
/// bench so that its CPU is its own: YARP forwarding every path round robin over the given hosts. The host names no node in its
/// answers, so the proxy counts answers per destination and status (2xx, 429, other, a failure to forward) and serves the counts
/// at <c>GET /_proxy/stats</c>, which is not forwarded.
/// </summary>
internal static class ProxyServer
{
    public const string StatsPath = "/_proxy/stats";

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            settings[args[i]] = args[i + 1];
        }
        var port = int.Parse(settings["--port"], CultureInfo.InvariantCulture);
        var destinations = settings["--destinations"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var counts = destinations.Select((_, i) => new DestinationCounts($"node{i + 1}")).ToDictionary(c => c.Id, StringComparer.Ordinal);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "nodes", Match = new RouteMatch { Path = "{**rest}" } }],
            [
                new ClusterConfig
                {
                    ClusterId = "nodes",
                    LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                    Destinations = destinations.Select((url, i) => (Id: $"node{i + 1}", Url: url))
                        .ToDictionary(d => d.Id, d => new DestinationConfig { Address = d.Url }, StringComparer.Ordinal),
                    // Exports and slow pages must not be cut off by the forwarder's default 100 s activity timeout.
                    HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(5) },
                },
            ]);

        var app = builder.Build();
        app.MapGet(StatsPath, () => TypedResults.Ok(counts.Values.Select(c => c.Snapshot()).ToArray()));
        app.MapReverseProxy(pipeline =>
        {
            // Wraps the forwarding: once it is done, the destination it went to and the status it answered are known.
            pipeline.Use(async (context, next) =>
            {
                await next();
                var destination = context.GetReverseProxyFeature().ProxiedDestination?.DestinationId;
                if (destination is null || !counts.TryGetValue(destination, out var count))
                {
                    return;
                }
                if (context.Features.Get<IForwarderErrorFeature>() is not null)
                {
                    Interlocked.Increment(ref count.Failed);
                }
                else if (context.Response.StatusCode is >= 200 and < 300)
                {
                    Interlocked.Increment(ref count.Success);
                }
                else if (context.Response.StatusCode == StatusCodes.Status429TooManyRequests)
                {
                    Interlocked.Increment(ref count.TooMany);
                }
                else
                {
                    Interlocked.Increment(ref count.Other);
                }
            });
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
        await app.RunAsync();
        return 0;
    }

    private sealed class DestinationCounts(string id)
    {
        public string Id { get; } = id;

        public long Success;
        public long TooMany;
        public long Other;
        public long Failed;

        public ProxyCounts Snapshot() => new(Id, Interlocked.Read(ref Success), Interlocked.Read(ref TooMany), Interlocked.Read(ref Other), Interlocked.Read(ref Failed));
    }
}

/// <summary>What the proxy forwarded to one destination so far: answers by status class, and requests it failed to forward.</summary>
internal sealed record ProxyCounts(string Destination, long Success, long TooMany, long Other, long Failed)
{
    public long Total => Success + TooMany + Other + Failed;

    public ProxyCounts Minus(ProxyCounts before) =>
        new(Destination, Success - before.Success, TooMany - before.TooMany, Other - before.Other, Failed - before.Failed);
}
