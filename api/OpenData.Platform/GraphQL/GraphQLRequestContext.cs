using GraphQL;
using Microsoft.AspNetCore.Http;

namespace OpenData.Platform.GraphQL;

/// <summary>
/// The user context of one GraphQL execution: the HTTP request it runs in, so a field reaches what the pipeline attached to
/// that request (the quota subject, the response's RateLimit headers) explicitly, not through an ambient accessor.
/// </summary>
internal sealed class GraphQLRequestContext(HttpContext http) : Dictionary<string, object?>
{
    public HttpContext Http { get; } = http;
}

/// <summary>Reaching the HTTP request from a resolver.</summary>
internal static class GraphQLRequestContextExtensions
{
    /// <summary>The HTTP request this field is resolved for.</summary>
    public static HttpContext Http(this IResolveFieldContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserContext is GraphQLRequestContext request
            ? request.Http
            : throw new InvalidOperationException("a GraphQL field ran outside GraphQLEndpoint: its user context carries no HTTP request");
    }
}
