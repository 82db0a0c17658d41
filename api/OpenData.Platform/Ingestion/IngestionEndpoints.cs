using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Ingestion;

/// <summary>Routes of ingestion: upload a version, follow its job.</summary>
internal static class IngestionEndpoints
{
    public static RouteGroupBuilder MapIngestion(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Ingestion").RequireAuthorization(Scopes.DatasetsWrite).LiveOnly("publishing a version");
        group.MapPost("/datasets/{id}/versions", UploadVersion).WithName("UploadVersion")
            .Accepts<string>("text/csv", "application/csv", "text/plain")
            .Refuses(IngestionErrors.Empty, CatalogueErrors.DatasetNotFound, IngestionErrors.NotOwner, CatalogueErrors.LicenceRevoked, IngestionErrors.TooLarge,
                CommonErrors.UnsupportedMediaType, IngestionErrors.UnsupportedCharset)
            .WithSummary("Upload a new version as CSV (UTF-8, or GB18030 with charset=gb18030); answered 202 with the job to follow.");
        group.MapGet("/ingestions/{jobId}", GetIngestion).WithName("GetIngestion")
            .Refuses(IngestionErrors.JobNotFound)
            .WithSummary("An ingestion job: status, progress, rows read and rejected, the first errors, and the version it published.");
        return group;
    }

    internal static async Task<Results<Accepted<IngestionJob>, ProblemHttpResult>> UploadVersion(
        string id, string? charset, ClaimsPrincipal user, HttpContext context, IngestionService ingestion, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var target = await ingestion.UploadTargetAsync(user, id, cancellationToken);
        if (target.Refusal is { } refused)
        {
            return Problems.From(refused);
        }
        var contentType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed : null;
        var media = contentType?.MediaType.Value?.ToLowerInvariant();
        if (media is not ("text/csv" or "application/csv" or "text/plain"))
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, CommonErrors.UnsupportedMediaType, "Unsupported media type",
                $"send the rows as Content-Type: text/csv (got '{request.ContentType ?? "none"}')");
        }
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = ingestion.MaxUploadBytes + 1;
        }
        var uploaded = await ingestion.UploadAsync(target.Value!, request.Body, charset ?? contentType?.Charset.Value, request.ContentLength, cancellationToken);
        if (uploaded.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        var job = uploaded.Value!;
        return TypedResults.Accepted($"{PublicUrl.Base(request)}/v1/ingestions/{job.Id}", job);
    }

    internal static async Task<Results<Ok<IngestionJob>, ProblemHttpResult>> GetIngestion(
        string jobId, ClaimsPrincipal user, IngestionService ingestion, CancellationToken cancellationToken)
    {
        var job = await ingestion.FindAsync(user, jobId, cancellationToken);
        return job.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(job.Value!);
    }
}
