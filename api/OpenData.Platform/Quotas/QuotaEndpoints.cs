using System.Globalization;
using System.Security.Claims;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Auth;
using OpenData.Platform.Hosting;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Quotas;

/// <summary><c>GET /v1/quota</c> and <c>GET /v1/usage</c>.</summary>
public static class QuotaEndpoints
{
    public const int MaxUsageDays = 366;

    public static RouteGroupBuilder MapQuotas(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Quotas");
        group.MapGet("/quota", GetQuota).WithName("GetQuota").AllowAnonymous()
            .WithSummary("The caller's plan, its limits and what is left today (anonymous callers: their IP's allowance).");
        group.MapGet("/usage", GetUsage).WithName("GetUsage").RequireAuthorization()
            .Produces<UsageReport>(StatusCodes.Status200OK, "application/json", "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Usage per day, dataset and app: requests, rows, bytes, 4xx and 429 answers; format=csv for CSV; operators may name any tenant.");
        return group;
    }

    internal static async Task<Ok<QuotaStatus>> GetQuota(HttpContext context, QuotaReports reports, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reports.StatusAsync(context, cancellationToken));

    internal static async Task<IResult> GetUsage(
        string? from, string? to, string? format, string? tenant, ClaimsPrincipal user, QuotaReports reports, HttpContext context, CancellationToken cancellationToken)
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
            var text = new StringBuilder("day,dataset,app,requests,rows,bytes,errors,throttled\r\n");
            foreach (var r in report.Items)
            {
                text.Append(CultureInfo.InvariantCulture, $"{r.Day},{Csv(r.Dataset)},{Csv(r.App)},{r.Requests},{r.Rows},{r.Bytes},{r.Errors},{r.Throttled}\r\n");
            }
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"usage-{report.Tenant}-{report.From}-{report.To}.csv\"";
            return Results.Text(text.ToString(), "text/csv", Encoding.UTF8);
        }
        return TypedResults.Ok(report);
    }

    /// <summary>Dataset ids and app ids are slugs; quote anyway if one ever holds a comma or quote.</summary>
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
