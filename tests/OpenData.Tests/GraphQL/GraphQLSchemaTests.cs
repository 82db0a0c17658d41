using System.Net;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.GraphQL;

/// <summary>
/// The committed openapi/schema.graphql must be the schema the code serves. After an intended change, regenerate it with
/// <c>OPENDATA_UPDATE_OPENAPI=1 dotnet test --filter GraphQLSchemaTests</c> and commit the file.
/// </summary>
public sealed class GraphQLSchemaTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private static readonly string CommittedPath = Path.Combine(RepositoryRoot.Path, "openapi", "schema.graphql");

    [Fact]
    public async Task The_committed_schema_matches_the_served_one()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var response = await host.Anonymous().GetAsync("/graphql/schema.graphql");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = await response.Content.ReadAsStringAsync();
        if (Environment.GetEnvironmentVariable("OPENDATA_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served);
        }
        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} is missing: run OPENDATA_UPDATE_OPENAPI=1 dotnet test --filter GraphQLSchemaTests");
        var committed = (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n");
        Assert.True(committed == served,
            "openapi/schema.graphql differs from the schema the code serves: if the change is intended, run OPENDATA_UPDATE_OPENAPI=1 dotnet test --filter GraphQLSchemaTests and commit the file");
    }

    [Fact]
    public async Task The_schema_offers_the_roots_of_the_contract()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var sdl = await host.Anonymous().GetStringAsync("/graphql/schema.graphql");
        foreach (var field in new[]
        {
            "me: Me", "datasets(", "dataset(", "accessRequests(", "grants: [Grant!]!", "contests: [Contest!]!",
            "requestAccess(", "decideAccessRequest(", "revokeGrant(",
            "records(", "select: [String!],", "where: String,", "orderBy: String,", "first: Int,", "after: String): RecordPage!", "items: [JSON!]!", "scalar JSON",
        })
        {
            Assert.Contains(field, sdl, StringComparison.Ordinal);
        }
    }
}
