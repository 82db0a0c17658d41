using System.Globalization;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Quotas;

/// <summary>What a caller may see of quotas and usage: today's allowance and usage per day, dataset and app (REST and GraphQL).</summary>
internal sealed class QuotaReports(QuotaSubjects subjects, DailyAllowance allowance, QuotaDay day, TimeProvider clock, Database database, UsageMeter meter, RequestLog log)
{
    public const int DefaultRequestsPage = 50;
    public const int MaxRequestsPage = 200;

    /// <summary>The caller's plan, limits and what is left today (anonymous callers: their IP's allowance); every node's leases are read first.</summary>
    public async Task<QuotaStatus> StatusAsync(HttpContext context, CancellationToken cancellationToken) =>
        await StatusAsync(await subjects.ResolveAsync(context, cancellationToken), cancellationToken);

    /// <summary>The same for a principal without a request of its own (the portal's signed-in person: their tenant's allowance).</summary>
    public async Task<QuotaStatus> StatusAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await StatusAsync(await subjects.ResolveAsync(user, null, cancellationToken), cancellationToken);

    private async Task<QuotaStatus> StatusAsync(QuotaSubject subject, CancellationToken cancellationToken)
    {
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
        return new QuotaStatus(subject.TenantId, subject.Plan, day.TodayKey, clock.GetUtcNow().AddSeconds(day.SecondsToReset), limits, remaining);
    }

    /// <summary>A tenant's usage between two days (default: the last 30); the caller's own, or any tenant's for operators.</summary>
    public async Task<Outcome<UsageReport>> UsageAsync(ClaimsPrincipal user, string? from, string? to, string? tenant, CancellationToken cancellationToken)
    {
        var visible = SubjectTenant(user, tenant, "usage");
        if (visible.Refusal is { } refused)
        {
            return refused;
        }
        var subjectTenant = visible.Value!;
        var errors = new Dictionary<string, string[]>();
        var last = ParseDay(to, "to", day.Today, errors);
        // Thirty days back, but not before the calendar's first day (to=0001-01-01 is a day like any other).
        var first = ParseDay(from, "from", last.DayNumber >= 29 ? last.AddDays(-29) : DateOnly.MinValue, errors);
        if (errors.Count == 0 && first > last)
        {
            errors["from"] = ["from must not be after to"];
        }
        if (errors.Count == 0 && last.DayNumber - first.DayNumber >= QuotaEndpoints.MaxUsageDays)
        {
            errors["from"] = [$"ask for at most {QuotaEndpoints.MaxUsageDays} days at once"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
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
        var totals = new UsageTotals(rows.Sum(r => r.Requests), rows.Sum(r => r.Rows), rows.Sum(r => r.Bytes), rows.Sum(r => r.Errors), rows.Sum(r => r.Throttled));
        return new UsageReport(subjectTenant, fromKey, toKey, rows, totals);
    }

    /// <summary>
    /// Operators: the whole platform's metered requests, rows read and 429 answers per day (every tenant and the anonymous
    /// callers) over the last <paramref name="days"/> quota days, every day listed, quiet ones too; and the <paramref name="top"/>
    /// datasets most rows were read from in those days. Anyone else: forbidden.
    /// </summary>
    public async Task<Outcome<PlatformFigures>> PlatformFiguresAsync(ClaimsPrincipal user, int days, int top, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.HasScope(Scopes.PlatformAdmin))
        {
            return Refusal.Forbidden(CommonErrors.InsufficientScope, "this needs the platform:admin scope");
        }
        days = Math.Clamp(days, 1, QuotaEndpoints.MaxUsageDays);
        var last = day.Today;
        var first = last.AddDays(1 - days);
        var fromKey = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var toKey = last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // What this node counted but has not written yet is part of the answer.
        await meter.FlushAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        // Read into settable rows: a positional record is matched on the column types SQLite reports, which on an empty answer are none.
        var totals = (await connection.QueryAsync<Totals>(new CommandDefinition(
            """
            SELECT day AS label, CAST(SUM(requests) AS BIGINT) AS requests, CAST(SUM(rows_read) AS BIGINT) AS rows, CAST(SUM(throttled) AS BIGINT) AS throttled
            FROM usage_daily WHERE day >= @fromKey AND day <= @toKey GROUP BY day
            """,
            new { fromKey, toKey }, cancellationToken: cancellationToken))).ToDictionary(d => d.Label, StringComparer.Ordinal);
        var perDay = Enumerable.Range(0, days).Select(n => first.AddDays(n).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .Select(key => totals.TryGetValue(key, out var t) ? new PlatformDay(key, t.Requests, t.Rows, t.Throttled) : new PlatformDay(key, 0, 0, 0)).ToList();
        var datasets = (await connection.QueryAsync<Totals>(new CommandDefinition(
            """
            SELECT dataset_id AS label, CAST(SUM(rows_read) AS BIGINT) AS rows, CAST(SUM(requests) AS BIGINT) AS requests
            FROM usage_daily WHERE day >= @fromKey AND day <= @toKey AND dataset_id <> ''
            GROUP BY dataset_id ORDER BY SUM(rows_read) DESC, dataset_id LIMIT @top
            """,
            new { fromKey, toKey, top = Math.Clamp(top, 1, 100) }, cancellationToken: cancellationToken))).Select(t => new DatasetRows(t.Label, t.Rows, t.Requests)).ToList();
        return new PlatformFigures(fromKey, toKey, perDay, datasets);
    }

    /// <summary>Sums of <c>usage_daily</c> under a key (a day or a dataset).</summary>
    private sealed class Totals
    {
        public string Label { get; set; } = "";
        public long Requests { get; set; }
        public long Rows { get; set; }
        public long Throttled { get; set; }
    }

    /// <summary>
    /// A tenant's requests of the last <see cref="RequestLog.RetentionDays"/> days, newest first, a page at a time: the caller's
    /// own tenant, or any for operators; <paramref name="status"/> is a class (<c>4xx</c>) or one status (<c>429</c>);
    /// <paramref name="before"/> is the <see cref="RequestLogPage.Next"/> of the page before.
    /// </summary>
    public async Task<Outcome<RequestLogPage>> RequestsAsync(
        ClaimsPrincipal user, string? app, string? status, string? before, int? limit, string? tenant, CancellationToken cancellationToken)
    {
        var visible = SubjectTenant(user, tenant, "requests");
        if (visible.Refusal is { } refused)
        {
            return refused;
        }
        var subjectTenant = visible.Value!;
        var errors = new Dictionary<string, string[]>();
        int? statusFrom = null, statusTo = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (status is [>= '1' and <= '5', 'x' or 'X', 'x' or 'X'])
            {
                statusFrom = (status[0] - '0') * 100;
                statusTo = statusFrom + 99;
            }
            else if (status.Length == 3 && int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var exact) && exact is >= 100 and <= 599)
            {
                statusFrom = statusTo = exact;
            }
            else
            {
                errors["status"] = [$"status is a class (2xx, 4xx, …) or one status (429); got '{status}'"];
            }
        }
        DateTimeOffset? beforeAt = null;
        long? beforeId = null;
        if (!string.IsNullOrEmpty(before))
        {
            if (RequestLogPage.TryParseKey(before, out var at, out var id))
            {
                (beforeAt, beforeId) = (at, id);
            }
            else
            {
                errors["before"] = ["before is the next value of the page before, as it was given"];
            }
        }
        if (app is { Length: > 200 })
        {
            errors["app"] = ["app is a client id of at most 200 characters"];
        }
        var take = limit ?? DefaultRequestsPage;
        if (take is < 1 or > MaxRequestsPage)
        {
            errors["limit"] = [$"limit is between 1 and {MaxRequestsPage}"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        // What this node logged but has not written yet is part of the answer.
        await log.FlushAsync(cancellationToken);
        var rows = await log.ReadAsync(subjectTenant, string.IsNullOrEmpty(app) ? null : app, statusFrom, statusTo, beforeAt, beforeId, take, cancellationToken);
        var items = rows.Take(take).ToList();
        var next = rows.Count > take ? RequestLogPage.KeyOf(items[^1]) : null;
        return new RequestLogPage(subjectTenant, items, next);
    }

    /// <summary>The tenant a report is about: the caller's own, or the one named — which for anyone but the operator does not exist.</summary>
    private static Outcome<string> SubjectTenant(ClaimsPrincipal user, string? tenant, string what)
    {
        var own = user.TenantId();
        var subject = tenant ?? own;
        if (subject is null)
        {
            return Refusal.BadRequest(CommonErrors.Validation, $"name the tenant whose {what} you want with tenant=…");
        }
        if (string.Equals(subject, own, StringComparison.Ordinal))
        {
            return subject;
        }
        if (!user.HasScope(Scopes.PlatformAdmin))
        {
            return Refusal.NotFound(CommonErrors.TenantNotFound, $"no tenant '{subject}' is visible to the caller");
        }
        // Another tenant's figures are the operator's live action; the caller's own usage is the same in both environments.
        return user.IsSandbox() ? EnvironmentGate.SandboxOnLive($"reading another tenant's {what}") : subject;
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

}
