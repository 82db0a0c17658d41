using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenData.Platform.Common;

/// <summary>
/// The Content-Security-Policy of the platform's HTML. Pages the platform writes itself (sign-in, consent, the GraphQL
/// explorer) allow their own inline blocks by SHA-256 hash, never <c>'unsafe-inline'</c>: an injected script or style
/// has another hash and does not run.
/// </summary>
internal static partial class ContentSecurityPolicy
{
    /// <summary>Every HTML answer that does not set its own policy.</summary>
    public const string Default = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Swagger UI at /docs: its scripts are files, but its React components inject style elements and its stylesheet
    /// draws icons from data: URIs. Inline style is the one thing allowed beyond the default; a style cannot run script,
    /// and the page shows nothing but the platform's own OpenAPI document.
    /// </summary>
    public const string Docs = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The policy of a page the platform writes: its inline scripts and styles by hash (and the platform's own stylesheet files,
    /// which the portal's frame links), forms posted to the platform and
    /// to <paramref name="formTargets"/> (Chrome and Safari check form-action against the redirect a submission ends in:
    /// consent ends at the client's redirect URI), and fetches to the platform only.
    /// </summary>
    public static string For(string html, IEnumerable<string>? formTargets = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        var scripts = new List<string>();
        var styles = new List<string>();
        foreach (Match block in InlineBlock().Matches(html))
        {
            var hash = $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(block.Groups["body"].Value)))}'";
            (block.Groups["tag"].Value.Equals("script", StringComparison.OrdinalIgnoreCase) ? scripts : styles).Add(hash);
        }
        var targets = string.Join("", (formTargets ?? []).Select(t => " " + t));
        return $"default-src 'none'; script-src {Sources(scripts)}; style-src 'self'{Sources(styles, prefix: " ")}; img-src 'self' data:; connect-src 'self'; "
            + $"base-uri 'none'; form-action 'self'{targets}; frame-ancestors 'none'";
    }

    /// <summary>The origin of an absolute http(s) URI, as a CSP source; null for anything else.</summary>
    public static string? OriginOf(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
            ? parsed.GetLeftPart(UriPartial.Authority)
            : null;

    private static string Sources(List<string> hashes) => hashes.Count == 0 ? "'none'" : string.Join(' ', hashes);

    private static string Sources(List<string> hashes, string prefix) => hashes.Count == 0 ? "" : prefix + string.Join(' ', hashes);

    [GeneratedRegex(@"<(?<tag>script|style)(?![^>]*\ssrc=)[^>]*>(?<body>.*?)</\k<tag>>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineBlock();
}
