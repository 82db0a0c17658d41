using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;

namespace OpenData.Platform.Audit;

/// <summary>
/// <c>GET /v1/audit</c> (scoped: owners see events on their datasets, everyone their own actions, operators all) and <c>GET /v1/audit/verify</c>.
/// HTTP only (binding, the page or the NDJSON/CSV stream written); the rules are <see cref="AuditService"/>'s.
/// </summary>
internal static class AuditEndpoints
{
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Audit").LiveOnly("reading the audit trail");
        group.MapGet("/audit", List).WithName("ListAudit").RequireAuthorization()
            .Produces<AuditPage>(StatusCodes.Status200OK, "application/json", "application/x-ndjson", "text/csv")
            .Refuses(CommonErrors.Validation)
            .WithSummary("Audit entries the caller may see: datasetId, type, from, to, limit, cursor; format=ndjson or csv streams them all.")
            .WithDescription(CsvCell.RawParameterDescription);
        group.MapGet("/audit/verify", Verify).WithName("VerifyAudit").RequireAuthorization().WithMetadata(Common.Metered.Instance)
            .Refuses(AuditErrors.VerifyForbidden, AuditErrors.FullVerifyForbidden)
            .WithSummary("Owners and operators: checks the chain against its signed checkpoints from the latest one (full=true, operators: from the first entry) and names the first entry that does not hold.");
        return group;
    }

    internal static async Task<IResult> List(
        string? datasetId, string? type, string? from, string? to, int? limit, string? cursor, string? format, [FromQuery(Name = CsvCell.RawParameter)] bool? csvRaw,
        ClaimsPrincipal user, AuditService audit,
        HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = AuditService.Query(user, new AuditListRequest(datasetId, type, from, to, limit, cursor, format));
        if (outcome.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        var query = outcome.Value!;
        if (query.Format == AuditFormat.Json)
        {
            return TypedResults.Ok(await audit.PageAsync(query, cancellationToken));
        }
        await using var rows = await audit.StreamAsync(query, cancellationToken);
        if (query.Format == AuditFormat.Ndjson)
        {
            context.Response.ContentType = "application/x-ndjson";
            await foreach (var row in rows.ReadAllAsync(cancellationToken))
            {
                await context.Response.WriteAsync(JsonSerializer.Serialize(AuditEntryView.Of(row), JsonOptions) + "\n", cancellationToken);
            }
            return Results.Empty;
        }
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = Attachment.ContentDisposition("audit.csv");
        await AuditCsv.WriteAsync(context.Response, rows, defuse: csvRaw != true, cancellationToken);
        return Results.Empty;
    }

    private static readonly JsonSerializerOptions JsonOptions = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        PlatformJson.Configure(options);
        return options;
    }

    internal static async Task<Results<Ok<AuditVerification>, ProblemHttpResult>> Verify(bool? full, ClaimsPrincipal user, AuditService audit, CancellationToken cancellationToken)
    {
        var outcome = await audit.VerifyAsync(user, full == true, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }
}
