using System.Reflection;
using System.Text.Json.Nodes;
using OpenData.Platform.Common;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contract;

/// <summary>
/// Every error code the platform declares (a constant of a module's <c>…Errors</c> class) is explained in the OpenAPI document:
/// under the status of an operation that declares it, or in the document's description for the pipeline's and GraphQL's own.
/// </summary>
public sealed class ErrorCodeDocumentTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private static readonly Assembly Platform = typeof(ErrorCodes).Assembly;

    [Fact]
    public async Task Every_declared_code_appears_in_the_documents_descriptions()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var document = JsonNode.Parse(await host.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var descriptions = new List<string>();
        Collect(document, descriptions);
        var text = string.Join("\n", descriptions);

        Assert.NotEmpty(ErrorCodes.All);
        var missing = ErrorCodes.All.Values.Where(c => !text.Contains($"`{c.Code}`", StringComparison.Ordinal))
            .Select(c => $"{c.Code} ({c.DeclaredBy.Name}.{c.Name})").ToList();
        Assert.True(missing.Count == 0,
            $"codes no description of the OpenAPI document names — declare them on the routes that answer them with .Refuses(...): {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task A_problem_response_lists_its_codes_with_their_meaning()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var document = JsonNode.Parse(await host.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var notFound = document["paths"]!["/v1/datasets/{id}"]!["get"]!["responses"]!["404"]!["description"]!.GetValue<string>();
        var declared = ErrorCodes.Get("dataset.not_found");
        Assert.Equal(404, declared.Status);
        Assert.Contains($"- `dataset.not_found`: {declared.Meaning}", notFound, StringComparison.Ordinal);
        // The route is metered: quota admission's codes are listed although the handler never answers them itself.
        var tooMany = document["paths"]!["/v1/datasets/{id}"]!["get"]!["responses"]!["429"]!["description"]!.GetValue<string>();
        Assert.Contains("`rate.exceeded`", tooMany, StringComparison.Ordinal);
        Assert.Contains("`quota.daily_exceeded`", tooMany, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_constant_of_an_Errors_class_has_a_status_and_a_meaning()
    {
        var classes = Platform.GetTypes().Where(ErrorCodes.IsErrorsClass).ToList();
        Assert.Contains(classes, t => t.Name == "CatalogueErrors");
        foreach (var type in classes)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            {
                var attribute = field.GetCustomAttribute<ErrorCodeAttribute>();
                Assert.True(attribute is not null, $"{type.Name}.{field.Name} has no [ErrorCode(status, meaning)]");
                Assert.InRange(attribute.Status, 200, 599);
                Assert.False(string.IsNullOrWhiteSpace(attribute.Meaning), $"{type.Name}.{field.Name} has no meaning");
                Assert.Matches("^[a-z_]+\\.[a-z_]+$", (string)field.GetRawConstantValue()!);
            }
        }
    }

    [Fact]
    public void Every_Errors_file_of_the_source_declares_a_class_the_registry_reads()
    {
        // A class the registry skips (not static, nested, misnamed) would take its codes out of every check above.
        var source = Path.Combine(RepositoryRoot.Path, "api", "OpenData.Platform");
        var files = Directory.EnumerateFiles(source, "*Errors.cs", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.NotEmpty(files);
        var read = ErrorCodes.All.Values.Select(c => c.DeclaredBy.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(files, name => Assert.True(read.Contains(name!), $"{name}.cs declares no codes the registry reads: make it a static class of public const strings"));
    }

    private static void Collect(JsonNode? node, List<string> descriptions)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "description" && value is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        descriptions.Add(s);
                    }
                    else
                    {
                        Collect(value, descriptions);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, descriptions);
                }
                break;
        }
    }
}
