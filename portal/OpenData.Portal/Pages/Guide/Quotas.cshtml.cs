using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OpenData.Platform.Quotas;
using OpenData.Platform.Tenancy;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Guide;

/// <summary>
/// Quotas: the configured plans and their limits (<see cref="PlanPolicy"/>, as admission applies them), the RateLimit headers
/// as admission writes them for the reader's plan (a signed-in person's tenant, else the anonymous plan), a 429 as it is
/// answered, and when the day resets.
/// </summary>
internal sealed class QuotasModel(PlanPolicy plans, QuotaDay day, IOptions<QuotaOptions> options, TenancyStore people) : PageModel
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public IReadOnlyDictionary<string, PlanLimits> Plans => plans.Plans;

    /// <summary>The plan the examples are for.</summary>
    public string Plan { get; private set; } = PlanPolicy.Anonymous;

    public ConsolePerson? Person { get; private set; }

    /// <summary>RateLimit-Policy and RateLimit of a first request today under <see cref="Plan"/>; null for a plan without limits.</summary>
    public (string Policy, string State)? Headers { get; private set; }

    /// <summary>The 429 of a caller over its burst under <see cref="Plan"/>: headers and problem, as admission answers it.</summary>
    public string? TooMany { get; private set; }

    public int DayOffsetHours => options.Value.DayOffsetHours;

    /// <summary>The offset as written in times (<c>+08:00</c>).</summary>
    public string Offset => TimeSpan.FromHours(DayOffsetHours).ToString((DayOffsetHours < 0 ? "\\-" : "\\+") + "hh\\:mm", CultureInfo.InvariantCulture);

    /// <summary>Midnight of the quota day in UTC (<c>16:00</c> for China Standard Time).</summary>
    public string MidnightUtc => TimeOnly.MinValue.AddHours(-DayOffsetHours).ToString("HH:mm", CultureInfo.InvariantCulture);

    public long SecondsToReset { get; private set; }

    public async Task OnGetAsync()
    {
        Person = await ConsolePerson.ResolveAsync(HttpContext, people);
        if (Person is { } person && plans.Plans.ContainsKey(person.Tenant.Plan))
        {
            Plan = person.Tenant.Plan;
        }
        var limits = plans.For(Plan);
        SecondsToReset = day.SecondsToReset;
        Headers = RateLimitHeaders.For(limits, limits.Burst - 1, limits.DailyRequests - 1, limits.DailyRows, SecondsToReset);
        if (limits is { RatePerSecond: { } rate, Burst: { } burst })
        {
            var retryAfter = QuotaAdmission.BurstRetryAfter(rate);
            // The burst admitted `burst` requests today before this one, which is refused and takes nothing.
            var refused = RateLimitHeaders.For(limits, 0, limits.DailyRequests - burst, limits.DailyRows, SecondsToReset)!.Value;
            var problem = new Dictionary<string, object>
            {
                ["type"] = OpenData.Platform.Common.Problems.TypeFor(QuotasErrors.RateExceeded),
                ["title"] = QuotaAdmission.RefusalTitle,
                ["status"] = 429,
                ["detail"] = QuotaAdmission.BurstDetail(Plan, burst, rate),
                ["policy"] = "burst",
                ["retryAfter"] = retryAfter,
                ["code"] = QuotasErrors.RateExceeded,
                ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            };
            TooMany = $"""
                HTTP/1.1 429 Too Many Requests
                Content-Type: application/problem+json
                Retry-After: {retryAfter}
                RateLimit-Policy: {refused.Policy}
                RateLimit: {refused.State}

                {JsonSerializer.Serialize(problem, Indented)}
                """;
        }
    }

    /// <summary>A limit as the table shows it: a number in the page's culture, or null for unlimited.</summary>
    public static string? Figure(long? limit) => limit?.ToString("N0", CultureInfo.CurrentCulture);
}
