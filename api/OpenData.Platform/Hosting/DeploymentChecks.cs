using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace OpenData.Platform.Hosting;

/// <summary>
/// What a host serving outside Development must be told rather than guess: its issuer (tokens must name one URL on every
/// node, not whatever Host header a request brought) and the host names it answers to (<c>AllowedHosts</c>, not <c>*</c>,
/// so a forged Host cannot steer links, redirects and the issuer). Checked before the host starts serving.
/// </summary>
internal static class DeploymentChecks
{
    public static IReadOnlyList<string> Problems(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<string>();
        if (environment.IsDevelopment())
        {
            return problems;
        }
        if (!Uri.TryCreate(configuration["OpenData:Auth:Issuer"], UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http"))
        {
            problems.Add("set OpenData:Auth:Issuer to the platform's public URL (for example https://data.example.gov.cn/)");
        }
        if (configuration["AllowedHosts"] is not { Length: > 0 } hosts || hosts.Split(';', StringSplitOptions.TrimEntries).Contains("*"))
        {
            problems.Add("set AllowedHosts to the host names the platform answers to (for example data.example.gov.cn), not *");
        }
        ProxySetup.Parse(configuration[ProxySetup.KnownProxiesKey]);
        return problems;
    }

    public static void ThrowIfUnsafe(IConfiguration configuration, IHostEnvironment environment)
    {
        if (Problems(configuration, environment) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException($"the host will not start in {environment.EnvironmentName}: " + string.Join("; ", problems));
        }
    }
}
