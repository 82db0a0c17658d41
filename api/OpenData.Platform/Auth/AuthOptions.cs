using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Auth;

/// <summary>The token server (section <c>OpenData:Auth</c>), validated at start. The key-encryption key is the key ring's (Identity).</summary>
internal sealed class AuthOptions : IValidatableObject
{
    public const string Section = "OpenData:Auth";

    /// <summary>The issuer URL tokens carry; unset, the request's own base URL (Development). Required in production (deployment checks).</summary>
    public string? Issuer { get; set; }

    /// <summary>How often a node reloads revoked tokens and disabled apps from the store, in seconds (0: on every request).</summary>
    [Range(0.0, 3600.0)]
    public double VoidCheckSeconds { get; set; } = 1.0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Issuer) && (!Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http")))
        {
            yield return new ValidationResult($"{Section}:Issuer must be an absolute http(s) URL such as https://data.example.gov.cn/; it was '{Issuer}'", [nameof(Issuer)]);
        }
    }
}

/// <summary>The platform operator's app (section <c>OpenData:Operator</c>): both set, or neither; validated at start.</summary>
internal sealed class OperatorOptions : IValidatableObject
{
    public const string Section = "OpenData:Operator";

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(ClientId) != string.IsNullOrEmpty(ClientSecret))
        {
            yield return new ValidationResult($"set both {Section}:ClientId and {Section}:ClientSecret, or neither", [nameof(ClientId), nameof(ClientSecret)]);
        }
        else if (ClientSecret is { Length: > 0 and < 16 })
        {
            yield return new ValidationResult($"{Section}:ClientSecret must have at least 16 characters", [nameof(ClientSecret)]);
        }
    }
}
