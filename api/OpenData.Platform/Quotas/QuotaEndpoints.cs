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

    internal static async Task<Ok<QuotaStatus>> GetQuota(HttpContext context, QuotaSubjects subjects, DailyAllowance allowance, QuotaDay day, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var subject = await subjects.ResolveAsync(context, cancellationToken);
        var limits = subject.Limits;
        async Task<long?> LeftAsync(string metric, long? limit)
        {
            if (limit is null)
            {
                return null;
            }
            await allowance.RefreshAsync(subject.Partition, metric, cancellationToken);
            return allowance.Remaining(subject.Partition, metric, limit.Value);
        }
        var remaining = new QuotaRemaining(await LeftAsync(QuotaAdmission.RequestsMetric, limits.DailyRequests), await LeftAsync(PlanRowAllowance.Metric, limits.DailyRows));
        return TypedResults.Ok(new QuotaStatus(subject.TenantId, subject.Plan, day.TodayKey, clock.GetUtcNow().AddSeconds(day.SecondsToReset), limits, remaining));
    }

    internal static async Task<IResult> GetUsage(
        string? from, string? to, string? format, string? tenant, ClaimsPrincipal user, Database database, UsageMeter meter, QuotaDay day,
        HttpContext context, CancellationToken cancellationToken)
    {
        var own = user.TenantId();
        var subjectTenant = tenant ?? own;
        if (subjectTenant is null)
        {
            return Problems.BadRequest("request.validation", "name the tenant whose usage you want with tenant=…");
        }
        // Another tenant's usage does not exist for anyone but the operator.
        if (!string.Equals(subjectTenant, own, StringComparison.Ordinal) && !user.HasScope(Scopes.PlatformAdmin))
        {
            return Problems.NotFound("tenant.not_found", $"no tenant '{subjectTenant}' is visible to the caller");
        }
        var errors = new Dictionary<string, string[]>();
        var last = ParseDay(to, "to", day.Today, errors);
        var first = ParseDay(from, "from", last.AddDays(-29), errors);
        if (errors.Count == 0 && first > last)
        {
            errors["from"] = ["from must not be after to"];
        }
        if (errors.Count == 0 && last.DayNumber - first.DayNumber >= MaxUsageDays)
        {
            errors["from"] = [$"ask for at most {MaxUsageDays} days at once"];
        }
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            errors["format"] = ["format is json or csv"];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        // What this node counted but has not written yet is part of the answer.
        await meter.FlushAsync(cancellationToken);
        var fromKey = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var toKey = last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<UsageRow>(new CommandDefinition(
            """
            SELECT day, dataset_id AS dataset, app_id AS app, requests, rows_read AS rows, bytes_sent AS bytes, errors, throttled
            FROM usage_daily WHERE tenant_id = @subjectTenant AND day >= @fromKey AND day <= @toKey
            ORDER BY day, dataset_id, app_id
            """,
            new { subjectTenant, fromKey, toKey }, cancellationToken: cancellationToken))).ToList();
        if (csv)
        {
            var text = new StringBuilder("day,dataset,app,requests,rows,bytes,errors,throttled\r\n");
            foreach (var r in rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"{r.Day},{Csv(r.Dataset)},{Csv(r.App)},{r.Requests},{r.Rows},{r.Bytes},{r.Errors},{r.Throttled}\r\n");
            }
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"usage-{subjectTenant}-{fromKey}-{toKey}.csv\"";
            return Results.Text(text.ToString(), "text/csv", Encoding.UTF8);
        }
        var totals = new UsageTotals(rows.Sum(r => r.Requests), rows.Sum(r => r.Rows), rows.Sum(r => r.Bytes), rows.Sum(r => r.Errors), rows.Sum(r => r.Throttled));
        return TypedResults.Ok(new UsageReport(subjectTenant, fromKey, toKey, rows, totals));
    }

    private static DateOnly ParseDay(string? text, string name, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return parsed;
        }
        errors[name] = [$"{name} is a day written yyyy-MM-dd; got '{text}'"];
        return fallback;
    }

    /// <summary>Dataset ids and app ids are slugs; quote anyway if one ever holds a comma or quote.</summary>
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
