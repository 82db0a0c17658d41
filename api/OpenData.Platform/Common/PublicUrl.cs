using Microsoft.AspNetCore.Http;

namespace OpenData.Platform.Common;

/// <summary>Absolute links to the platform's own routes, from the request that asks.</summary>
internal static class PublicUrl
{
    public static string Base(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}
