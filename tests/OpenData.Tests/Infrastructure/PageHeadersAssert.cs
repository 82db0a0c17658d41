
namespace OpenData.Tests.Infrastructure;

/// <summary>What every HTML page of the platform answers with: a policy that forbids framing, foreign or injected scripts and sniffing.</summary>
public static class PageHeadersAssert
{
    /// <summary>The headers every HTML page carries; returns its Content-Security-Policy.</summary>
    public static string Secure(HttpResponseMessage response, string page)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(response.Content.Headers.ContentType?.MediaType == "text/html", $"{page}: {response.StatusCode} {response.Content.Headers.ContentType}");
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp.Replace("default-src 'none'", "object-src 'none'", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Matches("base-uri '(self|none)'", csp);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotMatch("script-src[^;]*'unsafe-(inline|eval)'", csp);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        return csp;
    }
}
