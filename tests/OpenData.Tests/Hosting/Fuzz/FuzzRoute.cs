using System.Text.Json.Nodes;

namespace OpenData.Tests.Hosting.Fuzz;

/// <summary>One method on one route as the fuzz sees it: its template, its query parameters and the body it reads.</summary>
/// <param name="Query">Name and OpenAPI type of each documented query parameter.</param>
/// <param name="BodyType">The body's media type, or null for a route that reads none.</param>
/// <param name="BodySchema">The body's JSON schema with every <c>$ref</c> resolved, when the document gives one.</param>
public sealed record FuzzRoute(string Method, string Template, IReadOnlyList<(string Name, string Type)> Query, string? BodyType, JsonNode? BodySchema)
{
    public IEnumerable<string> PathParameters =>
        System.Text.RegularExpressions.Regex.Matches(Template, "{([^}:?]+)[^}]*}").Select(m => m.Groups[1].Value);

    public override string ToString() => $"{Method} {Template}";
}
