using Microsoft.OpenApi;
using OpenData.Platform.Common;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Hosting;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OpenData.Api.OpenApi;

/// <summary>
/// Adds to the document's description the codes no single operation declares: those of the host's pipeline, which any operation
/// may answer (<see cref="HostingErrors"/>), and those of GraphQL's own documents (<see cref="GraphErrors"/>), whose endpoint is
/// described by its schema rather than here.
/// </summary>
internal sealed class RefusalsDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        swaggerDoc.Info ??= new OpenApiInfo();
        swaggerDoc.Info.Description =
            $"""
            {swaggerDoc.Info.Description}

            Any operation may also answer these codes (status in brackets):

            {Lines(ErrorCodes.Of(typeof(HostingErrors)))}

            GraphQL answers a service's refusal with the REST operation's code in `extensions.code` (and its status in `extensions.status`); its own codes are:

            {Lines(ErrorCodes.Of(typeof(GraphErrors)))}
            """;
    }

    private static string Lines(IEnumerable<DeclaredCode> codes) =>
        string.Join("\n", codes.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => $"- `{c.Code}` ({c.Status}): {c.Meaning}"));
}
