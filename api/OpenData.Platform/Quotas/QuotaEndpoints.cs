using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;

namespace OpenData.Platform.Quotas;

/// <summary><c>GET /v1/quota</c>, <c>GET /v1/usage</c> and <c>GET /v1/usage/requests</c>.</summary>
internal static class QuotaEndpoints
{
    public const int MaxUsageDays = 366;

    public static RouteGroupBuilder MapQuotas(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Quotas");
        group.MapGet("/quota", GetQuota).WithName("GetQuota").AllowAnonymous()
            .WithSummary("The caller's plan, its limits and what is left today (anonymous callers: their IP's allowance).");
        group.MapGet("/usage", GetUsage).WithName("GetUsage").RequireAuthorization()
            .Produces<UsageReport>(StatusCodes.Status200OK, "application/json", "text/csv")
            .Refuses(CommonErrors.Validation, CommonErrors.TenantNotFound, CommonErrors.EnvironmentMismatch)
            .WithSummary("Usage per day, dataset and app: requests, rows, bytes, 4xx and 429 answers; format=csv for CSV; operators may name any tenant.")
            .WithDescription(CsvCell.RawParameterDescription);
        group.MapGet("/usage/requests", GetRequests).WithName("GetRequestLog").RequireAuthorization()
            .Refuses(CommonErrors.Validation, CommonErrors.TenantNotFound, CommonErrors.EnvironmentMismatch)
            .WithSummary("The tenant's requests of the last 7 days, newest first: time, app, method, route pattern, dataset, status, rows, bytes, duration (never the query string); app= and status= (4xx, 429) filter; before= takes the previous page's next.");
        return group;
    }

    internal static async Task<Ok<QuotaStatus>> GetQuota(HttpContext context, QuotaReports reports, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reports.StatusAsync(context, cancellationToken));

    internal static async Task<Results<Ok<RequestLogPage>, ProblemHttpResult>> GetRequests(
        string? app, string? status, string? before, int? limit, string? tenant, ClaimsPrincipal user, QuotaReports reports, CancellationToken cancellationToken)
    {
        var outcome = await reports.RequestsAsync(user, app, status, before, limit, tenant, cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!);
    }

    internal static async Task<IResult> GetUsage(
        string? from, string? to, string? format, string? tenant, [FromQuery(Name = CsvCell.RawParameter)] bool? csvRaw, ClaimsPrincipal user, QuotaReports reports, HttpContext context, CancellationToken cancellationToken)
    {
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = ["format is json or csv"] });
        }
        var outcome = await reports.UsageAsync(user, from, to, tenant, cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            return Problems.From(refusal);
        }
        var report = outcome.Value!;
        if (csv)
        {
            // Dataset and app ids are slugs today; they go through the same cell rules as every CSV all the same.
            var defuse = csvRaw != true;
            var text = new StringBuilder("day,dataset,app,requests,rows,bytes,errors,throttled\r\n");
            foreach (var r in report.Items)
            {
                CsvCell.AppendText(text.Append(r.Day).Append(','), r.Dataset, defuse).Append(',');
                CsvCell.AppendText(text, r.App, defuse)
                    .Append(CultureInfo.InvariantCulture, $",{r.Requests},{r.Rows},{r.Bytes},{r.Errors},{r.Throttled}\r\n");
            }
            context.Response.Headers.ContentDisposition = Attachment.ContentDisposition($"usage-{report.Tenant}-{report.From}-{report.To}.csv");
            return Results.Text(text.ToString(), "text/csv", Encoding.UTF8);
        }
        return TypedResults.Ok(report);
    }
}
