using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenData.Platform.Monitoring;

/// <summary>
/// <c>/metrics</c> in Prometheus' text format, for callers from <see cref="MetricsOptions.AllowedNetworks"/> only and, with
/// <see cref="MetricsOptions.Port"/>, on that port only (which then serves nothing else). Anyone else gets the platform's 404 of an
/// unknown route, as if there were none. Runs after the trusted proxies' forwarded headers, so a caller a load balancer forwards
/// is judged by its own address, never the balancer's.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Counts requests, serves <c>/metrics</c> to whom may read it; call early, after the proxy and problem-details middleware.</summary>
    public static IApplicationBuilder UsePlatformMetrics(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }
        var allowed = ParseNetworks(options.AllowedNetworks);
        WatchExpiries(app.ApplicationServices, options);
        if (options.Port is { } port)
        {
            // The metrics port answers /metrics and nothing else: the API is not reachable through it.
            app.Use(async (context, next) =>
            {
                if (context.Connection.LocalPort == port && !context.Request.Path.Equals(Path, StringComparison.Ordinal))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                await next(context);
            });
        }
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path.Equals(Path, StringComparison.Ordinal)
            && HttpMethods.IsGet(context.Request.Method)
            && (options.Port is null || context.Connection.LocalPort == options.Port)
            && IsAllowed(context.Connection.RemoteIpAddress, allowed));
        app.UseMiddleware<RequestTelemetry>();
        return app;
    }

    /// <summary>Sets the expiry gauges: the signing key's rotation date, and the served certificate's end when Kestrel has one configured.</summary>
    private static void WatchExpiries(IServiceProvider services, MetricsOptions options)
    {
        if (services.GetRequiredService<Identity.KeyRing>().SigningKeyCreatedAt is { } created)
        {
            MonitoringTelemetry.SigningKeyExpiresAt(created.AddDays(options.SigningKeyLifetimeDays));
        }
        var configuration = services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        if (configuration["Kestrel:Certificates:Default:Path"] is { Length: > 0 } path && File.Exists(path))
        {
            try
            {
                using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(path);
                MonitoringTelemetry.CertificateExpiresAt(certificate.NotAfter.ToUniversalTime());
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // A PKCS#12 file with a password, or a format the loader does not read: Kestrel says what is wrong with it; no gauge.
            }
        }
    }

    internal static bool IsAllowed(IPAddress? address, IReadOnlyList<IPNetwork> allowed)
    {
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var network in allowed)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The CIDR list; a malformed entry is named (options validation stops the host with it).</summary>
    internal static List<IPNetwork> ParseNetworks(string? list)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException($"OpenData:Metrics:AllowedNetworks: '{entry}' is neither a network in CIDR form (10.0.0.0/8) nor an address");
            }
        }
        return networks;
    }
}
