using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting.Fuzz;

/// <summary>
/// Every route the host maps, with what the committed OpenAPI document says of its parameters and body. Routes the
/// document leaves out (OAuth, sign-in, GraphQL) are fuzzed by template alone, with forms and query strings of their own words.
/// </summary>
public static class RouteCatalogue
{
    private static readonly Lazy<JsonNode> Document = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "openapi", "opendata.v1.json")))!);

    // Parameters of the routes the document does not describe, by the words their RFCs or pages use.
    private static readonly Dictionary<string, string[]> Undocumented = new(StringComparer.Ordinal)
    {
        ["/connect/token"] = ["grant_type", "client_id", "client_secret", "scope", "code", "redirect_uri", "code_verifier", "refresh_token"],
        ["/connect/authorize"] = ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method", "prompt"],
        ["/account/signin"] = ["email", "password", "returnUrl", "ReturnUrl", "__RequestVerificationToken", "culture"],
        ["/graphql"] = ["query", "variables", "operationName"],
    };

    public static IReadOnlyList<FuzzRoute> From(IEnumerable<RouteEndpoint> endpoints)
    {
        var routes = new List<FuzzRoute>();
        foreach (var endpoint in endpoints)
        {
            var template = endpoint.RoutePattern.RawText ?? "/";
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                routes.Add(Describe(method, template));
            }
        }
        return routes;
    }

    private static FuzzRoute Describe(string method, string template)
    {
        var operation = Document.Value["paths"]?[template]?[method.ToLowerInvariant()];
        if (operation is null)
        {
            var words = Undocumented.GetValueOrDefault(template) ?? [];
            var query = words.Select(w => (w, "string")).ToList();
            string? bodyType = method is "POST" or "PUT" or "PATCH"
                ? template == "/graphql" ? "application/json" : "application/x-www-form-urlencoded"
                : null;
            JsonNode? schema = template == "/graphql"
                ? JsonNode.Parse("""{"type":"object","properties":{"query":{"type":"string"},"variables":{"type":"object"},"operationName":{"type":"string"}}}""")
                : null;
            return new FuzzRoute(method, template, query, bodyType, schema);
        }
        var parameters = (operation["parameters"]?.AsArray() ?? [])
            .Where(p => p?["in"]?.GetValue<string>() == "query")
            .Select(p => (p!["name"]!.GetValue<string>(), p["schema"]?["type"]?.GetValue<string>() ?? "string"))
            .ToList();
        var content = operation["requestBody"]?["content"]?.AsObject();
        var type = content?.Select(c => c.Key).FirstOrDefault();
        var bodySchema = type is null ? null : Resolve(content![type]!["schema"], 0);
        return new FuzzRoute(method, template, parameters, type, bodySchema);
    }

    private static JsonNode? Resolve(JsonNode? schema, int depth)
    {
        if (schema is null || depth > 6)
        {
            return null;
        }
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            return Resolve(Document.Value["components"]!["schemas"]![reference.Split('/')[^1]], depth + 1);
        }
        var copy = schema.DeepClone();
        if (copy["properties"] is JsonObject properties)
        {
            foreach (var name in properties.Select(p => p.Key).ToList())
            {
                properties[name] = Resolve(properties[name], depth + 1);
            }
        }
        if (copy["items"] is { } items)
        {
            copy["items"] = Resolve(items, depth + 1);
        }
        return copy;
    }
}
