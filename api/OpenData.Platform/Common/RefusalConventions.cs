using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace OpenData.Platform.Common;

/// <summary>How a route declares the error codes it answers, for the OpenAPI document.</summary>
internal static class RefusalConventions
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    /// <summary>
    /// The route (or every route of a group) answers these codes: each is listed with its meaning under its status in the
    /// OpenAPI document, and that status is declared as a problem+json response. An undeclared code fails at start.
    /// </summary>
    public static TBuilder Refuses<TBuilder>(this TBuilder builder, params string[] codes) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(codes);
        var statuses = codes.Select(c => ErrorCodes.Get(c).Status).Distinct().Order().ToList();
        builder.WithMetadata(new RefusesMetadata(codes));
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ProblemJson));
        }
        return builder;
    }
}
