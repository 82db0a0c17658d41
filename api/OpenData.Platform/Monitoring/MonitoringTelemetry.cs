using System.Diagnostics.Metrics;
using OpenData.Platform.Common;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// Monitoring's own instruments: requests by route group, route pattern, status class and plan, and their duration; the expiry
/// of the signing key and of the TLS certificate as gauges in seconds (an alert fires before either runs out).
/// </summary>
internal static class MonitoringTelemetry
{
    public static readonly Counter<long> Requests = PlatformTelemetry.Meter.CreateCounter<long>("opendata.requests", "{request}",
        "Requests answered, by route group, route pattern, status class and plan");

    public static readonly Histogram<double> Duration = PlatformTelemetry.Meter.CreateHistogram<double>("opendata.request.duration", "s",
        "Time to answer a request, by route group, route pattern and status class", advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        });

    private static long _signingKeyExpiresAt = long.MinValue;
    private static long _certificateExpiresAt = long.MinValue;

    /// <summary>Seconds until the signing key is due for rotation (negative: overdue); absent until a host has loaded its keys.</summary>
    public static readonly ObservableGauge<long> SigningKeyExpiry = PlatformTelemetry.Meter.CreateObservableGauge("opendata.signing_key.expiry",
        () => Until(ref _signingKeyExpiresAt), "s", "Seconds until the token signing key is due for rotation (OpenData:Metrics:SigningKeyLifetimeDays)");

    /// <summary>Seconds until the TLS certificate Kestrel serves expires; absent when the host serves no certificate of its own.</summary>
    public static readonly ObservableGauge<long> CertificateExpiry = PlatformTelemetry.Meter.CreateObservableGauge("opendata.certificate.expiry",
        () => Until(ref _certificateExpiresAt), "s", "Seconds until the TLS certificate Kestrel serves (Kestrel:Certificates:Default) expires");

    public static void SigningKeyExpiresAt(DateTimeOffset at) => Interlocked.Exchange(ref _signingKeyExpiresAt, at.ToUnixTimeSeconds());

    public static void CertificateExpiresAt(DateTimeOffset at) => Interlocked.Exchange(ref _certificateExpiresAt, at.ToUnixTimeSeconds());

    private static IEnumerable<Measurement<long>> Until(ref long at)
    {
        var value = Interlocked.Read(ref at);
        return value == long.MinValue ? [] : [new Measurement<long>(value - DateTimeOffset.UtcNow.ToUnixTimeSeconds())];
    }
}
