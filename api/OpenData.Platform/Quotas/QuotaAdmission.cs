using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenData.Platform.Common;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Identity;
using OpenData.Platform.Quotas.GraphQL;

namespace OpenData.Platform.Quotas;

/// <summary>
/// Admission on every endpoint marked <see cref="Metered"/>, after authentication and before anything touches the database
/// for the request: the burst bucket, then the day's requests. Every metered answer carries <c>RateLimit-Policy</c> and
/// <c>RateLimit</c> (IETF httpapi RateLimit header fields, draft 08); a refusal is 429 with <c>Retry-After</c> and a problem
/// naming the policy (an endpoint that shows its own refusals, a portal page, gets a <see cref="QuotaRefusal"/> instead). Each metered request is then counted in the usage of its tenant, app, dataset and day, and a tenant's
/// request goes into its request log (the route's pattern, never the path as sent or the query string, which carry values).
/// </summary>
internal sealed class QuotaAdmission(
    RequestDelegate next, QuotaSubjects subjects, BurstLimiter burst, DailyAllowance allowance, QuotaDay day, UsageMeter usage, RequestLog log,
    IMagicDatasets magic, TimeProvider clock, IOptions<QuotaOptions> options)
{
    public const string RequestsMetric = "requests";

    /// <summary>The title of admission's 429 problems.</summary>
    public const string RefusalTitle = "Too many requests";

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (!options.Value.Enabled || endpoint?.Metadata.GetMetadata<Metered>() is not { } metered)
        {
            await next(context);
            return;
        }
        var body = new CountingResponseBody(context.Features.GetRequiredFeature<IHttpResponseBodyFeature>());
        context.Features.Set<IHttpResponseBodyFeature>(body);
        var startedAt = clock.GetTimestamp();
        QuotaSubject? subject = null;
        var failed = false;
        try
        {
            // Resolving may read the tenant's plan: when the store is down that fails, and the request still counts below.
            subject = await subjects.ResolveAsync(context, context.RequestAborted);
            context.Features.Set(subject);
            var limits = subject.Limits;
            long? burstLeft = null;
            // A sandbox token's magic dataset ids (IMagicDatasets) rehearse a refusal: the very answer a spent burst or day gives.
            var rehearsal = magic.ReadOf(context.User, DatasetOf(context, endpoint));
            if (limits.RatePerSecond is { } rate && limits.Burst is { } size)
            {
                var (acquired, remaining) = rehearsal == MagicRead.RateLimited ? (false, 0L) : burst.TryAcquire(subject.Partition, rate, size);
                burstLeft = remaining;
                if (!acquired)
                {
                    var refusal = Refusal(subject, QuotasErrors.RateExceeded, QuotaRefusal.Burst, size, rate, BurstRetryAfter(rate));
                    await RefuseAsync(context, metered, subject, burstLeft, refusal, BurstDetail(subject.Plan, size, rate));
                    return;
                }
            }
            if (limits.DailyRequests is { } daily
                && (rehearsal == MagicRead.QuotaExhausted || await allowance.TakeAsync(subject.Partition, RequestsMetric, daily, 1, context.RequestAborted) == 0))
            {
                var refusal = Refusal(subject, QuotasErrors.DailyExceeded, QuotaRefusal.Daily, daily, null, day.SecondsToReset);
                await RefuseAsync(context, metered, subject, burstLeft, refusal,
                    $"the '{subject.Plan}' plan's {daily} requests for today are used up; the quota resets at midnight China Standard Time",
                    dailyLeft: rehearsal == MagicRead.QuotaExhausted ? 0 : null);
                return;
            }
            WriteHeaders(context, subject, burstLeft);
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            // The request counts under its route's dataset ("" for the catalogue and GraphQL); rows count under the datasets they came from.
            var tenant = subject is null ? context.User.TenantId() : subject.TenantId;
            var app = subject is null ? context.User.FindFirst(PlatformClaims.ClientId)?.Value : subject.AppId;
            var key = new UsageKey(tenant ?? PlanPolicy.Anonymous, app ?? "", DatasetOf(context, endpoint), day.TodayKey);
            long ownRows = 0;
            long allRows = 0;
            foreach (var (dataset, read) in subject?.RowsByDataset ?? [])
            {
                allRows += read;
                if (dataset == key.Dataset)
                {
                    ownRows += read;
                }
                else
                {
                    usage.RecordRows(key with { Dataset = dataset }, read);
                }
            }
            // An exception on its way out becomes a 500 further up, unless the answer had already started.
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            usage.Record(key, ownRows, body.Bytes, status);
            if (tenant is not null)
            {
                // Only a tenant's request reads the wall clock: its start is now less the time it took.
                var elapsed = clock.GetElapsedTime(startedAt);
                var duration = (int)Math.Min(int.MaxValue, elapsed.TotalMilliseconds);
                log.Add(new RequestLogEntry(clock.GetUtcNow() - elapsed, tenant, key.App, context.Request.Method, RouteOf(endpoint), key.Dataset, status,
                    allRows, body.Bytes, duration));
            }
        }
    }

    /// <summary>The route's pattern (<c>/v1/datasets/{id}/records</c>): what was asked for, without a value the path or query string carried.</summary>
    private static string RouteOf(Endpoint? endpoint) =>
        endpoint is RouteEndpoint { RoutePattern.RawText: { } pattern } ? (pattern.StartsWith('/') ? pattern : "/" + pattern) : "";

    /// <summary>Seconds a caller over its burst waits: the time one request's token takes to come back.</summary>
    internal static long BurstRetryAfter(long ratePerSecond) => Math.Max(1, (long)Math.Ceiling(1.0 / ratePerSecond));

    /// <summary>The detail of <c>rate.exceeded</c> (the portal's guide shows it as it is answered).</summary>
    internal static string BurstDetail(string plan, long burst, long ratePerSecond) =>
        $"more than {burst} requests at once or {ratePerSecond} a second under the '{plan}' plan: slow down and retry after the time in Retry-After";

    /// <summary>
    /// A 429 with <c>Retry-After</c> and the RateLimit headers. An API route gets the problem; an endpoint that shows its own
    /// refusals (a portal page) is passed the request with the refusal as a feature, and writes the body in its own layout
    /// and language. The endpoint, not a problem writer, renders it: only the page has its culture, its header (who is signed
    /// in), its navigation and its htmx fragments, and a page's refusal is then counted as the 429 it answers.
    /// </summary>
    private async Task RefuseAsync(HttpContext context, Metered metered, QuotaSubject subject, long? burstLeft, QuotaRefusal refusal, string detail, long? dailyLeft = null)
    {
        QuotaTelemetry.Refused(refusal.Policy, subject.Plan);
        WriteHeaders(context, subject, burstLeft, dailyLeft);
        context.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        if (metered.ShowsRefusal)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Features.Set(refusal);
            await next(context);
            return;
        }
        await Problems.Create(StatusCodes.Status429TooManyRequests, refusal.Code, RefusalTitle, detail,
            new Dictionary<string, object?> { ["policy"] = subject.Policy is null ? refusal.Policy : subject.Policy + "/" + refusal.Policy, ["retryAfter"] = refusal.RetryAfterSeconds })
            .ExecuteAsync(context);
    }

    private QuotaRefusal Refusal(QuotaSubject subject, string code, string policy, long limit, long? rate, long retryAfter) =>
        new(code, policy, subject.Plan, limit, rate, retryAfter, clock.GetUtcNow().AddSeconds(retryAfter), subject.TenantId is null);

    /// <summary><c>RateLimit-Policy: "burst";q=20;w=1, "daily";q=5000;w=86400, "rows";q=…;w=86400;qu="rows"</c> and the matching <c>RateLimit</c>.</summary>
    private void WriteHeaders(HttpContext context, QuotaSubject subject, long? burstLeft, long? dailyLeft = null)
    {
        // dailyLeft is given when known otherwise (a rehearsed spent day shows none left), else looked up.
        var limits = subject.Limits;
        dailyLeft ??= limits.DailyRequests is { } daily ? allowance.Remaining(subject.Partition, RequestsMetric, daily) : (long?)null;
        var rowsLeft = limits.DailyRows is { } rows ? allowance.Remaining(subject.Partition, PlanRowAllowance.Metric, rows) : (long?)null;
        if (RateLimitHeaders.For(limits, burstLeft, dailyLeft, rowsLeft, day.SecondsToReset, subject.Policy) is { } headers)
        {
            context.Response.Headers["RateLimit-Policy"] = headers.Policy;
            context.Response.Headers["RateLimit"] = headers.State;
        }
    }

    private static string DatasetOf(HttpContext context, Endpoint? endpoint) =>
        endpoint is RouteEndpoint { RoutePattern.RawText: { } pattern } && pattern.StartsWith("/v1/datasets/{id}", StringComparison.Ordinal)
            ? context.Request.RouteValues["id"] as string ?? ""
            : "";
}

/// <summary>Plugs quota admission into the pipeline: after authentication, before authorisation.</summary>
internal static class QuotaPipeline
{
    public static IApplicationBuilder UseQuotas(this IApplicationBuilder app) => app.UseMiddleware<QuotaAdmission>();

    internal static IServiceCollection AddQuotas(this IServiceCollection services)
    {
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<QuotaDay>();
        services.AddSingleton<QuotaSubjects>();
        services.AddSingleton<BurstLimiter>();
        services.AddSingleton<DailyAllowance>();
        services.AddSingleton<UsageMeter>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<QuotaReports>();
        services.AddSingleton<AppUsage>();
        services.AddSingleton<DatasetReadership>();
        services.AddSingleton<DatasetUsage>();
        services.AddHostedService<UsageFlusher>();
        services.AddSingleton<IRowAllowance, PlanRowAllowance>();
        services.TryAddSingleton<IMagicDatasets, NoMagicDatasets>();
        services.AddSingleton<IQueryFields, QuotaQueries>();
        return services;
    }
}
