using OpenData.Platform.Desensitisation;

namespace OpenData.Platform.Policies;

/// <summary>Every policy file of <c>policies/</c>, read and checked once at start.</summary>
public sealed class PlatformPolicies
{
    public PlatformPolicies(ClassificationPolicy classification, DesensitisationPolicy desensitisation, Quotas.PlanPolicy plans)
    {
        Classification = classification;
        Desensitisation = desensitisation;
        Plans = plans;
    }

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
        return new PlatformPolicies(
            ClassificationPolicy.Parse(PolicyDocument.Load(directory, ClassificationPolicy.FileName)),
            DesensitisationPolicy.Parse(PolicyDocument.Load(directory, DesensitisationPolicy.FileName)),
            Quotas.PlanPolicy.Parse(PolicyDocument.Load(directory, Quotas.PlanPolicy.FileName)));
    }
}
