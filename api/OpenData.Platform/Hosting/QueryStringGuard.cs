using Microsoft.AspNetCore.Builder;
using OpenData.Platform.Common;

namespace OpenData.Platform.Hosting;

/// <summary>
/// Refuses a query string carrying a NUL character (<c>%00</c>) with a 400 naming the parameter. No value of this API
/// holds one, and PostgreSQL cannot store or compare text containing it: let through, it fails deep in a query as a 500.
/// </summary>
internal static class QueryStringGuard
{
    public static IApplicationBuilder UseQueryStringGuard(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Cheap test first: only a query that spells %00 (no letters, so no other spelling) decodes to NUL.
        var raw = context.Request.QueryString.Value;
        if (raw is null || !raw.Contains("%00", StringComparison.Ordinal))
        {
            return next(context);
        }
        foreach (var (name, values) in context.Request.Query)
        {
            if (name.Contains('\0', StringComparison.Ordinal) || values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
            {
                var shown = ClientErrorText.Bounded(name.Replace("\0", "%00", StringComparison.Ordinal));
                return Problems.BadRequest(HostingErrors.InvalidCharacters, $"parameter '{shown}' contains a NUL character (%00), which no value of this API holds")
                    .ExecuteAsync(context);
            }
        }
        return next(context);
    });
}
