using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenData.Platform.Hosting;

/// <summary>
/// The host behind the documented load balancer: <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> are believed only
/// from the proxies listed in <c>OpenData:Proxy:KnownProxies</c> (addresses or CIDR networks, comma-separated), and from no
/// one when the list is empty (ASP.NET Core would otherwise trust loopback). Believed, they give the real client address
/// (anonymous quotas, sign-in throttling), the scheme (https links, <c>Secure</c> cookies) and the public host.
/// </summary>
internal static class ProxySetup
{
    public const string KnownProxiesKey = "OpenData:Proxy:KnownProxies";

    public static IServiceCollection AddPlatformProxy(this IServiceCollection services, IConfiguration configuration)
    {
        var (addresses, networks) = Parse(configuration[KnownProxiesKey]);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in addresses)
            {
                o.KnownProxies.Add(address);
            }
            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }
            // One proxy hop is read per listed proxy: a client's own X-Forwarded-For entries before it are not believed.
            o.ForwardLimit = Math.Max(1, addresses.Count + networks.Count);
            o.RequireHeaderSymmetry = false;
            if (configuration["AllowedHosts"] is { Length: > 0 } hosts && hosts != "*")
            {
                foreach (var host in hosts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    o.AllowedHosts.Add(host);
                }
            }
        });
        return services;
    }

    /// <summary>Reads forwarded headers, only when some proxy is listed.</summary>
    public static IApplicationBuilder UsePlatformProxy(this IApplicationBuilder app, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[KnownProxiesKey]))
        {
            app.UseForwardedHeaders();
        }
        return app;
    }

    /// <summary>The listed proxies; a malformed entry stops the host, naming it.</summary>
    public static (List<IPAddress> Addresses, List<System.Net.IPNetwork> Networks) Parse(string? list)
    {
        var addresses = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal))
            {
                networks.Add(System.Net.IPNetwork.TryParse(entry, out var network) ? network
                    : throw new InvalidOperationException($"{KnownProxiesKey}: '{entry}' is not a network such as 10.0.0.0/8"));
            }
            else
            {
                addresses.Add(IPAddress.TryParse(entry, out var address) ? address
                    : throw new InvalidOperationException($"{KnownProxiesKey}: '{entry}' is not an IP address"));
            }
        }
        return (addresses, networks);
    }
}
