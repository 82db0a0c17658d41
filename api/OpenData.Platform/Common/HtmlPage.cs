using Microsoft.AspNetCore.Http;

namespace OpenData.Platform.Common;

/// <summary>An HTML page the platform writes itself, served with a policy that allows exactly its own inline blocks.</summary>
internal sealed class HtmlPage(string html, IEnumerable<string>? formTargets = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        httpContext.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy.For(html, formTargets);
        httpContext.Response.Headers.CacheControl = "no-store";
        return httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
    }
}
