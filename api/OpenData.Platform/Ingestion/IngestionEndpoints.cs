using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
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
        var group = routes.MapGroup("/v1").WithTags("Ingestion").RequireAuthorization(Scopes.DatasetsWrite);
        group.MapPost("/datasets/{id}/versions", UploadVersion).WithName("UploadVersion")
            .Accepts<string>("text/csv", "application/csv", "text/plain")
            .Refuses(IngestionErrors.Empty, CatalogueErrors.DatasetNotFound, IngestionErrors.NotOwner, IngestionErrors.TooLarge,
                CommonErrors.UnsupportedMediaType, IngestionErrors.UnsupportedCharset)
            .WithSummary("Upload a new version as CSV (UTF-8, or GB18030 with charset=gb18030); answered 202 with the job to follow.");
        group.MapGet("/ingestions/{jobId}", GetIngestion).WithName("GetIngestion")
            .Refuses(IngestionErrors.JobNotFound)
            .WithSummary("An ingestion job: status, progress, rows read and rejected, the first errors, and the version it published.");
        return group;
    }

    internal static async Task<Results<Accepted<IngestionJob>, ProblemHttpResult>> UploadVersion(
        string id, string? charset, ClaimsPrincipal user, HttpContext context, DatasetDirectory directory, IngestionService ingestion,
        IngestionJobStore jobs, IOptions<IngestionOptions> options, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var dataset = await directory.FindAsync(id, cancellationToken);
        if (dataset is null)
        {
            return CatalogueEndpoints.DatasetNotFound(id);
        }
        if (dataset.OwnerId != user.TenantId())
        {
            return Problems.Forbidden(IngestionErrors.NotOwner, $"'{id}' belongs to {dataset.OwnerId}; only its owner publishes versions");
        }
        var contentType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed : null;
        var media = contentType?.MediaType.Value?.ToLowerInvariant();
        if (media is not ("text/csv" or "application/csv" or "text/plain"))
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, CommonErrors.UnsupportedMediaType, "Unsupported media type",
                $"send the rows as Content-Type: text/csv (got '{request.ContentType ?? "none"}')");
        }
        var charsetName = charset ?? contentType?.Charset.Value;
        if (!Charsets.TryResolve(charsetName, out var canonical, out _))
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, IngestionErrors.UnsupportedCharset, "Unsupported charset",
                $"charset '{charsetName}' is not supported: use utf-8 or gb18030");
        }
        var max = options.Value.MaxUploadBytes;
        if (request.ContentLength > max)
        {
            return TooLarge(max);
        }
        if (request.ContentLength == 0)
        {
            return Problems.BadRequest(IngestionErrors.Empty, "the body is empty: send a CSV with a header line and rows");
        }
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = max + 1;
        }
        string? jobId;
        long bytes;
        bool tooLarge;
        try
        {
            (jobId, bytes, tooLarge) = await ingestion.AcceptAsync(dataset, dataset.OwnerId, request.Body, canonical, max, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A chunked body has no Content-Length to refuse up front; Kestrel stops it at the limit.
            return TooLarge(max);
        }
        if (tooLarge)
        {
            return TooLarge(max);
        }
        if (jobId is null || bytes == 0)
        {
            return Problems.BadRequest(IngestionErrors.Empty, "the body is empty: send a CSV with a header line and rows");
        }
        var job = await jobs.FindAsync(jobId, cancellationToken);
        return TypedResults.Accepted($"{PublicUrl.Base(request)}/v1/ingestions/{jobId}", IngestionJobStore.ToJob(job!, ingestion.LiveProgress(jobId)));
    }

    internal static async Task<Results<Ok<IngestionJob>, ProblemHttpResult>> GetIngestion(
        string jobId, ClaimsPrincipal user, IngestionJobStore jobs, IngestionService ingestion, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken);
        // Another organisation's job answers as if it did not exist.
        if (job is null || job.OwnerId != user.TenantId())
        {
            return Problems.NotFound(IngestionErrors.JobNotFound, $"no ingestion job '{jobId}' for this organisation");
        }
        return TypedResults.Ok(IngestionJobStore.ToJob(job, ingestion.LiveProgress(jobId)));
    }

    private static ProblemHttpResult TooLarge(long max) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, IngestionErrors.TooLarge, "Upload too large",
            $"the file is larger than the limit of {max} bytes: split it, or load it with the operator command 'import'");
}
