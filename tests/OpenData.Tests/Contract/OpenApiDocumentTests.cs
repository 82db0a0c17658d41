using System.Text.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contract;

/// <summary>
/// The committed openapi/opendata.v1.json must be what the code generates. After an intended change, regenerate it with
/// <c>OPENDATA_UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests</c> and commit the file.
/// </summary>
public sealed class OpenApiDocumentTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private static readonly string CommittedPath = Path.Combine(RepositoryRoot.Path, "openapi", "opendata.v1.json");

    [Fact]
    public async Task The_committed_document_matches_the_generated_one()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var generated = JsonNode.Parse(await host.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var text = generated.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        if (Environment.GetEnvironmentVariable("OPENDATA_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, text);
        }
        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} is missing: run OPENDATA_UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath))!;
        Assert.True(JsonNode.DeepEquals(committed, generated),
            "openapi/opendata.v1.json differs from the document the code generates: if the change is intended, run OPENDATA_UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests and commit the file");
    }

    [Fact]
    public async Task The_document_names_every_public_route_of_the_contract()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var document = JsonNode.Parse(await host.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var route in new[]
        {
            "/v1/datasets", "/v1/datasets/{id}", "/v1/datasets/{id}/versions", "/v1/ingestions/{jobId}", "/v1/organisations",
            "/v1/themes", "/v1/catalogue/dcat", "/v1/datasets/{id}/records", "/v1/datasets/{id}/export",
        })
        {
            Assert.Contains(route, paths);
        }
        Assert.Equal("OpenData API", document["info"]!["title"]!.GetValue<string>());
        var docs = await host.Anonymous().GetAsync("/docs/index.html");
        Assert.Equal(System.Net.HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("swagger", await docs.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
