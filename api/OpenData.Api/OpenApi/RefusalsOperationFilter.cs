using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using OpenData.Platform.Common;
using OpenData.Platform.Hosting;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OpenData.Api.OpenApi;

/// <summary>
/// Writes into each problem response of an operation the codes it answers with that status, one line each with its meaning:
/// the codes the route declares (<see cref="RefusalConventions.Refuses{TBuilder}"/>) and those its mapping implies
/// (<see cref="PipelineRefusals"/>). A status no response names yet is added as problem+json.
/// </summary>
internal sealed class RefusalsOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var codes = metadata.OfType<RefusesMetadata>().SelectMany(m => m.Codes)
            .Concat(PipelineRefusals.For(metadata))
            .Distinct(StringComparer.Ordinal)
            .Select(ErrorCodes.Get);
        foreach (var status in codes.GroupBy(c => c.Status).OrderBy(g => g.Key))
        {
            operation.Responses ??= [];
            var key = status.Key.ToString(CultureInfo.InvariantCulture);
            if (!operation.Responses.TryGetValue(key, out var found))
            {
                found = new OpenApiResponse
                {
                    Description = ReasonPhrases.GetReasonPhrase(status.Key),
                    Content = new Dictionary<string, IOpenApiMediaType>
                    {
                        ["application/problem+json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) },
                    },
                };
                operation.Responses[key] = found;
            }
            if (found is OpenApiResponse response)
            {
                response.Description = $"{response.Description}\n\n{Lines(status)}";
            }
        }
    }

    /// <summary>One Markdown list item per code: <c>- `code`: meaning</c>, in the codes' order.</summary>
    internal static string Lines(IEnumerable<DeclaredCode> codes) =>
        string.Join("\n", codes.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => $"- `{c.Code}`: {c.Meaning}"));
}
