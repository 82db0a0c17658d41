using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Policies;

namespace OpenData.Platform.Hosting;

/// <summary>
/// Every policy file of <c>policies/</c>, read and checked once at start. The host composes them: each module parses its own
/// file (Desensitisation the classification and desensitisation policies, Quotas the plans), and <c>AddPolicies</c> registers
/// each module's policy as a service of its own.
/// </summary>
internal sealed class PlatformPolicies
{
    public PlatformPolicies(ClassificationPolicy classification, DesensitisationPolicy desensitisation, Quotas.PlanPolicy plans, PolicyFiles? files = null)
    {
        Classification = classification;
        Desensitisation = desensitisation;
        Plans = plans;
        Files = files ?? new PolicyFiles([]);
    }

    /// <summary>The files the policies were read from, with their checksums.</summary>
    public PolicyFiles Files { get; }

    public Quotas.PlanPolicy Plans { get; }

    public ClassificationPolicy Classification { get; }

    public DesensitisationPolicy Desensitisation { get; }

    /// <summary>Reads the policy folder; a problem throws a <see cref="PolicyException"/> naming file, line and column.</summary>
    public static PlatformPolicies Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new PolicyException($"{directory}: the policies folder is missing; set OpenData:Policies:Directory or ship policies/ beside the binary");
        }
        // Each file read and checked in turn, so the first problem named is that of the first file, as before.
        var files = new List<PolicyFile>(3);
        PolicyDocument Read(string name)
        {
            var document = PolicyDocument.Load(directory, name);
            files.Add(document.File!);
            return document;
        }
        var classification = ClassificationPolicy.Parse(Read(ClassificationPolicy.FileName));
        var desensitisation = DesensitisationPolicy.Parse(Read(DesensitisationPolicy.FileName));
        var plans = Quotas.PlanPolicy.Parse(Read(Quotas.PlanPolicy.FileName));
        return new PlatformPolicies(classification, desensitisation, plans, new PolicyFiles(files));
    }
}

/// <summary>Registers the policies (section <c>OpenData:Policies</c>): read once; a bad file stops the host before it serves.</summary>
internal static class PolicyRegistration
{
    public static IServiceCollection AddPolicies(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => PlatformPolicies.Load(sp.GetRequiredService<IOptions<PolicyOptions>>().Value.ResolvedDirectory));
        services.AddSingleton(sp => sp.GetRequiredService<PlatformPolicies>().Desensitisation);
        services.AddSingleton(sp => sp.GetRequiredService<PlatformPolicies>().Classification);
        services.AddSingleton(sp => sp.GetRequiredService<PlatformPolicies>().Plans);
        services.AddSingleton(sp => sp.GetRequiredService<PlatformPolicies>().Files);
        return services;
    }
}
