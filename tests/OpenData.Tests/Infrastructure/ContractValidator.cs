using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace OpenData.Tests.Infrastructure;

/// <summary>
/// Validates JSON answers against the committed openapi/opendata.v1.json (JsonSchema.Net). OpenAPI 3.0 schemas are
/// turned into JSON Schema first (<c>nullable</c> → a null type, component refs → <c>$defs</c>).
/// </summary>
public static class ContractValidator
{
    private static readonly Lazy<JsonObject> Document = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "openapi", "opendata.v1.json")))!.AsObject());

    private static readonly Lazy<List<(Regex Pattern, string Template)>> Paths = new(() =>
        Document.Value["paths"]!.AsObject()
            .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^/]+?}", "[^/]+") + "/?$"), p.Key)) // routing takes a trailing slash as the same path
            .OrderBy(p => p.Key.Count(c => c == '{'))
            .ToList());

    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();

    /// <summary>Returns null when the answer fits the document, else what does not.</summary>
    public static string? Check(string method, string path, int status, string mediaType, string body)
    {
        var template = Paths.Value.FirstOrDefault(p => p.Pattern.IsMatch(path)).Template;
        if (template is null)
        {
            return status >= 400 ? CheckProblem(body) : $"{method} {path} answered {status} but the document has no such path";
        }
        var operation = Document.Value["paths"]![template]![method.ToLowerInvariant()];
        if (operation is null)
        {
            return status >= 400 ? CheckProblem(body) : $"{method} {template} is not in the document";
        }
        var response = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (response is null)
        {
            return status >= 400 ? CheckProblem(body) : $"{method} {template} answered {status}, which the document does not declare";
        }
        var schema = response["content"]?[mediaType]?["schema"] ?? response["content"]?["application/json"]?["schema"];
        if (schema is null)
        {
            return status >= 400 ? CheckProblem(body) : null;
        }
        return Evaluate($"{method} {template} {status}", schema, body);
    }

    private static string? CheckProblem(string body) =>
        Evaluate("problem", new JsonObject { ["$ref"] = "#/components/schemas/ProblemDetails" }, body);

    private static string? Evaluate(string key, JsonNode openApiSchema, string body)
    {
        var schema = Schemas.GetOrAdd(key, _ =>
        {
            var root = Convert(openApiSchema)!.AsObject();
            var defs = new JsonObject();
            foreach (var (name, component) in Document.Value["components"]!["schemas"]!.AsObject())
            {
                defs[name] = Convert(component);
            }
            root["$defs"] = defs;
            return JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://contract.opendata.test/{Guid.NewGuid():N}"));
        });
        using var instance = JsonDocument.Parse(body);
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return null;
        }
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"));
        return $"{key}: the answer does not fit the OpenAPI document: {string.Join("; ", errors.Take(5))}";
    }

    private static JsonNode? Convert(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
            {
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    if (name == "$ref")
                    {
                        copy[name] = value!.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    }
                    else if (name is not ("nullable" or "example" or "discriminator" or "xml" or "externalDocs"))
                    {
                        copy[name] = Convert(value);
                    }
                }
                if (obj["nullable"]?.GetValue<bool>() == true)
                {
                    if (copy["type"] is JsonValue type)
                    {
                        copy["type"] = new JsonArray(type.GetValue<string>(), "null");
                        if (copy["enum"] is JsonArray values)
                        {
                            values.Add(null);
                        }
                    }
                    else
                    {
                        return new JsonObject { ["anyOf"] = new JsonArray(copy, new JsonObject { ["type"] = "null" }) };
                    }
                }
                return copy;
            }
            case JsonArray array:
                return new JsonArray(array.Select(Convert).ToArray());
            default:
                return node?.DeepClone();
        }
    }
}
