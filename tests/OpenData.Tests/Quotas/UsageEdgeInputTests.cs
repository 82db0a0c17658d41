using System.Net;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Quotas;

/// <summary>
/// Issue 13, item 13, as the attack on <c>/v1/usage</c>: the edge days of the calendar, from after to, huge ranges, days
/// that do not exist, instants, non-ASCII digits, empty and repeated parameters. Each is answered 200 or a 400 naming the
/// parameter to fix, never 5xx.
/// </summary>
public sealed class UsageEdgeInputTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private static readonly (string Query, string Parameter)[] Refused =
    [
        ("from=0001-01-01", "from"),                        // 2,000 years up to today: more than a year at once
        ("from=9999-12-31", "from"),                        // after today, the default to
        ("from=2026-03-01&to=2026-02-01", "from"),          // from after to
        ("from=0001-01-01&to=9999-12-31", "from"),          // the widest range there is
        ("from=2026-02-30", "from"),                        // a day that does not exist
        ("to=2026-13-01", "to"),
        ("from=10000-01-01", "from"),
        ("from=0000-12-31", "from"),
        ("from=2026-01-01T00:00:00%2B08:00", "from"),       // an instant, not a day
        ("to=2026-01-01T00:00:00Z", "to"),
        ("from=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-01", "from"), // ２０２６-01-01: fullwidth digits
        ("from=%D9%A2%D9%A0%D9%A2%D9%A6-01-01", "from"),   // Arabic-Indic digits
        ("from=2026-01-01&from=2026-01-02", "from"),        // repeated
        ("to=%00", "to"),
        ("to=%ED%A0%80", "to"),                             // a lone surrogate, as UTF-8 no decoder accepts
        ("format=xml", "format"),
    ];

    private static readonly string[] Answered =
    [
        "to=0001-01-01",                  // the default from (29 days earlier) would be before the calendar starts
        "to=0001-01-15",
        "from=0001-01-01&to=0001-01-01",
        "from=0001-01-01&to=0001-12-31",
        "from=9999-12-31&to=9999-12-31",
        "to=9999-12-31",
        "from=9999-01-01&to=9999-12-31",
        "from=&to=",                      // empty: the defaults
        "from=2026-01-01&to=2026-01-01&format=csv",
        "to=0001-01-01&format=csv",
    ];

    [DatabaseTheory, OnEachDatabase]
    public async Task Edge_days_and_malformed_days_are_a_400_naming_the_parameter_never_a_5xx(string db)
    {
        var host = await hosts.GetAsync(db);
        var consumer = host.As("demo-consumer", "catalogue:read");
        foreach (var (query, parameter) in Refused)
        {
            var response = await consumer.GetAsync("/v1/usage?" + query);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await InputAssert.AnsweredAsync(response, query, parameter);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_first_and_last_days_of_the_calendar_are_answered(string db)
    {
        var host = await hosts.GetAsync(db);
        var consumer = host.As("demo-consumer", "catalogue:read");
        foreach (var query in Answered)
        {
            var response = await consumer.GetAsync("/v1/usage?" + query);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        // The report says which days it covers: the calendar's first day, not a day before it.
        var first = await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/usage?to=0001-01-01"));
        Assert.Equal("0001-01-01", first["from"]!.GetValue<string>());
        Assert.Equal("0001-01-01", first["to"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_operator_naming_a_tenant_with_NUL_control_or_non_ASCII_characters_gets_404_not_a_crash(string db)
    {
        var host = await hosts.GetAsync(db);
        var op = QuotaScenarios.Operator(host);
        foreach (var tenant in new[] { "%00", "demo%00consumer", "%ED%A0%80", "%E5%AE%81%E6%B3%A2", "%1B%5B31m", new string('a', 8000), "'%20OR%20'1'='1" })
        {
            var response = await op.GetAsync("/v1/usage?tenant=" + tenant);
            await InputAssert.AnsweredAsync(response, "tenant=" + tenant[..Math.Min(40, tenant.Length)]);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Empty((await PlatformHost.ReadJsonAsync(response))["items"]!.AsArray());
            }
        }
    }
}
