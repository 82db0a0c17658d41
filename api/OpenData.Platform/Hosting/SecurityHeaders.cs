using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenData.Platform.Common;

namespace OpenData.Platform.Hosting;

/// <summary>
/// Headers every answer carries: <c>nosniff</c> everywhere; on HTML (sign-in, consent, /docs, the GraphQL explorer, any
/// page added later) a Content-Security-Policy with <c>frame-ancestors 'none'</c>, <c>X-Frame-Options: DENY</c> for
/// browsers before CSP 2, no referrer (authorisation URLs carry codes and state) and a window of its own.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>Outermost but for the exception handler, so problem answers and static files carry the headers too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(Apply, context);
        return next(context);
    });

    private static Task Apply(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            // A page that wrote its own policy (hashes of its inline blocks) keeps it.
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs")
                    ? ContentSecurityPolicy.Docs
                    : ContentSecurityPolicy.Default;
            }
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
        }
        return Task.CompletedTask;
    }
}
