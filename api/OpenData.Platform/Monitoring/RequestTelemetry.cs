using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// Counts every answer in <c>opendata.requests</c> and times it in <c>opendata.request.duration</c>: by route group (the endpoint's
/// first OpenAPI tag, <c>portal</c> or <c>other</c> without one, <c>unmatched</c> when no route matched), route pattern (never the
/// path as sent), status class and plan (the quota subject's, <c>none</c> for unmetered routes). An endpoint's labels are made once.
/// </summary>
internal sealed class RequestTelemetry(RequestDelegate next)
{
    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private static readonly (KeyValuePair<string, object?> Group, KeyValuePair<string, object?> Route) Unmatched =
        (new("route_group", "unmatched"), new("route", "unmatched"));

    private readonly ConcurrentDictionary<Endpoint, (KeyValuePair<string, object?> Group, KeyValuePair<string, object?> Route)> _labels = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var (group, route) = context.GetEndpoint() is { } endpoint ? _labels.GetOrAdd(endpoint, LabelsOf) : Unmatched;
            var statusClass = new KeyValuePair<string, object?>("status_class", StatusClasses[Math.Clamp(status / 100, 1, 5) - 1]);
            var plan = new KeyValuePair<string, object?>("plan", context.Features.Get<QuotaSubject>()?.Plan ?? "none");
            MonitoringTelemetry.Requests.Add(1, group, route, statusClass, plan);
            MonitoringTelemetry.Duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, group, route, statusClass);
        }
    }

    private static (KeyValuePair<string, object?>, KeyValuePair<string, object?>) LabelsOf(Endpoint endpoint)
    {
        var pattern = endpoint is RouteEndpoint { RoutePattern.RawText: { } raw } ? (raw.StartsWith('/') ? raw : "/" + raw) : "other";
        var tag = endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags is { Count: > 0 } tags ? tags[0].ToLowerInvariant()
            : pattern.StartsWith("/v1/", StringComparison.Ordinal) || pattern.StartsWith("/connect/", StringComparison.Ordinal) ? "other" : "portal";
        return (new("route_group", tag), new("route", pattern));
    }
}
