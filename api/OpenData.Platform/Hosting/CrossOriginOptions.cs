using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Hosting;

/// <summary>
/// <c>OpenData:Cors</c>: the browser origins that may call the API (<c>/v1</c>, <c>/graphql</c>) from their own pages.
/// Empty by default: no CORS headers at all, so only same-origin pages and non-browser clients call the API.
/// </summary>
internal sealed class CrossOriginOptions : IValidatableObject
{
    public const string Section = "OpenData:Cors";

    /// <summary>Origins such as <c>https://apps.example.gov.cn</c>, or <c>*</c> for any (tokens only: never with cookies).</summary>
    public IList<string> AllowedOrigins { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
        {
            if (origin == "*")
            {
                continue;
            }
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/'))
            {
                yield return new ValidationResult(
                    $"OpenData:Cors:AllowedOrigins: '{origin}' is not an origin: write scheme, host and port only, e.g. https://apps.example.gov.cn",
                    [nameof(AllowedOrigins)]);
            }
        }
    }
}
