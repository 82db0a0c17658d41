using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// <c>OpenData:Metrics</c>: the OpenTelemetry metrics and traces (docs/monitoring.md). <c>/metrics</c> (Prometheus text) answers only
/// callers from <see cref="AllowedNetworks"/> (loopback by default) and, with <see cref="Port"/>, only on that port; anyone else gets
/// the 404 of an unknown route. Validated at start.
/// </summary>
internal sealed class MetricsOptions
{
    public const string Section = "OpenData:Metrics";

    /// <summary>Whether the platform measures at all (<c>/metrics</c>, OTLP); off, nothing is recorded for export.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A port of its own for <c>/metrics</c> (the host listens on it too, on <see cref="Host"/>); unset, the API's port serves it.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>The address the metrics port listens on.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>
    /// Networks (CIDR, comma-separated) whose callers may read <c>/metrics</c>, by the client address after the trusted proxies'
    /// forwarded headers: a caller the load balancer forwards is refused unless its own address is listed.
    /// </summary>
    public string AllowedNetworks { get; set; } = "127.0.0.0/8,::1/128";

    /// <summary>An OTLP collector (gRPC, e.g. <c>http://collector:4317</c>) to push metrics and traces to; also read from <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Whether spans are exported; unset, they are when an OTLP endpoint is configured (nothing else would read them).</summary>
    public bool? Tracing { get; set; }

    /// <summary>
    /// The share of traces started here that are recorded (a caller's sampled <c>traceparent</c> is always followed, an unsampled one
    /// never): 1 records every request, 0.1 one in ten, which keeps tracing's cost on the read path small.
    /// </summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 0.1;

    /// <summary>How long a signing key may sign before it is due for rotation (<c>rotate-keys</c>): the expiry the gauge counts down to.</summary>
    [Range(1, 3650)]
    public int SigningKeyLifetimeDays { get; set; } = 90;

    /// <summary>Milliseconds the exporter reuses a scrape's answer (0: every scrape measures afresh).</summary>
    [Range(0, 60_000)]
    public int ScrapeCacheMilliseconds { get; set; }
}
