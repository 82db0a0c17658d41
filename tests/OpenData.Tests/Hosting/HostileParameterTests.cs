using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting;

/// <summary>
/// Issue 13, item 13, as the attack on the parameters every list and query route takes: numbers out of range, cursors
/// that were never issued, query text with non-ASCII and control characters, values near the request line's limit,
/// bytes no UTF-8 decoder accepts, NUL, and instants with offsets. Each is answered 2xx or a 4xx problem naming what to fix.
/// </summary>
public sealed class HostileParameterTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private static readonly string Long = new('a', 7000);

    // Percent-encoded, as a client would put them on the wire.
    private static readonly string[] Texts =
    [
        "%00", "a%00b", "%ED%A0%80", "%ED%BF%BF", "%FF%FE", "%C0%AE", "%E4%B8", "%1B%5B31m", "%07%08%7F", "%E2%80%AE", "%EF%BB%BF",
        "%EF%BC%8E", "%E5%90%8D%E7%A7%B0", "%F0%9F%98%80", "'%20OR%20'1'%3D'1", "%25", "%", "%zz", Long,
    ];

    private static readonly string[] Routes =
    [
        "/v1/datasets/ningbo-villages/records?limit={0}",
        "/v1/datasets/ningbo-villages/records?cursor={0}",
        "/v1/datasets/ningbo-villages/records?where={0}",
        "/v1/datasets/ningbo-villages/records?where=name%20%3D%20'{0}'",
        "/v1/datasets/ningbo-villages/records?order_by={0}",
        "/v1/datasets/ningbo-villages/records?select={0}",
        "/v1/datasets/ningbo-villages/records?format={0}",
        "/v1/datasets/ningbo-villages/export?format={0}",
        "/v1/datasets/ningbo-villages/risk?columns={0}",
        "/v1/datasets?q={0}",
        "/v1/datasets?limit={0}",
        "/v1/datasets?cursor={0}",
        "/v1/datasets?theme={0}&owner={0}&classification={0}",
        "/v1/datasets/{0}",
        "/v1/audit?limit={0}",
        "/v1/audit?cursor={0}",
        "/v1/audit?from={0}",
        "/v1/audit?to={0}",
        "/v1/audit?datasetId={0}&type={0}",
        "/v1/access-requests?role={0}&status={0}",
        "/v1/tenants/{0}",
        "/v1/ingestions/{0}",
        "/graphql?query={0}",
    ];

    [DatabaseTheory, OnEachDatabase]
    public async Task Out_of_range_numbers_and_forged_cursors_are_a_400_never_a_5xx(string db)
    {
        var host = await hosts.GetAsync(db);
        var op = host.As("platform", "catalogue:read", "records:read", "access:request", "access:review", "tenant:admin", "platform:admin");
        string[] numbers = ["-1", "0", "9999999999", "2147483648", "-2147483649", "1e3", "1.5", "%EF%BC%91", "%D9%A1", "0x10", "1_0", ""];
        string[] cursors = ["garbage", "eyJ2IjoxfQ", "AAAA", "-1", "9223372036854775808", "%2F%2F%2F%2F", "eyJ2IjoxLCJrIjpbIiJdfQ.x"];
        foreach (var route in new[] { "/v1/datasets/ningbo-villages/records", "/v1/datasets", "/v1/audit" })
        {
            foreach (var limit in numbers)
            {
                await InputAssert.AnsweredAsync(await op.GetAsync($"{route}?limit={limit}"), $"{route}?limit={limit}", limit.Length > 0 ? "limit" : null);
            }
            foreach (var cursor in cursors)
            {
                await InputAssert.AnsweredAsync(await op.GetAsync($"{route}?cursor={cursor}"), $"{route}?cursor={cursor}", "cursor");
            }
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Non_ASCII_control_characters_lone_surrogates_NUL_and_long_values_never_cause_a_5xx(string db)
    {
        var host = await hosts.GetAsync(db);
        var callers = new[]
        {
            host.Anonymous(),
            host.As("demo-consumer", "catalogue:read", "records:read", "access:request"),
            host.As("platform", "catalogue:read", "records:read", "access:review", "tenant:admin", "platform:admin"),
        };
        foreach (var caller in callers)
        {
            foreach (var template in Routes)
            {
                foreach (var text in Texts)
                {
                    var target = template.Replace("{0}", text, StringComparison.Ordinal);
                    await InputAssert.AnsweredAsync(await caller.GetAsync(target), target[..Math.Min(target.Length, 120)]);
                }
            }
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_NUL_in_any_query_parameter_is_a_400_naming_it(string db)
    {
        var host = await hosts.GetAsync(db);
        var op = host.As("platform", "catalogue:read", "records:read", "access:review", "tenant:admin", "platform:admin");
        foreach (var target in new[] { "/v1/usage?tenant=demo%00", "/v1/datasets?q=%00", "/v1/audit?datasetId=x%00y", "/v1/datasets/ningbo-villages/records?where=name%3D'%00'" })
        {
            var response = await op.GetAsync(target);
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_characters");
            var parameter = target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..target.IndexOf('=', StringComparison.Ordinal)];
            Assert.Contains($"'{parameter}'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_request_line_over_8_KB_is_refused_by_the_server_before_the_platform(string db)
    {
        var host = await hosts.GetAsync(db);
        var response = await host.Anonymous().GetAsync("/v1/datasets?q=" + new string('a', 9000));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Audit_instants_with_any_offset_or_at_the_calendars_edges_are_answered(string db)
    {
        var host = await hosts.GetAsync(db);
        var op = host.As("platform", "catalogue:read", "records:read", "platform:admin");
        foreach (var instant in new[] { "2026-02-01T00:00:00%2B08:00", "2026-02-01T00:00:00-05:00", "2026-02-01T00:00:00%2B14:00", "0001-01-01",
            "0001-01-01T00:00:00-01:00", "9999-12-31", "9999-12-31T23:59:59Z" })
        {
            foreach (var parameter in new[] { "from", "to" })
            {
                var response = await op.GetAsync($"/v1/audit?{parameter}={instant}");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{parameter}={instant}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        // Past the calendar once the offset is taken away: a 400 naming the parameter.
        foreach (var instant in new[] { "0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-14:00", "2026-02-30", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-01" })
        {
            await InputAssert.AnsweredAsync(await op.GetAsync($"/v1/audit?from={instant}"), "from=" + instant, "from");
        }
        // The offset is honoured: an instant eight hours ahead of UTC is the same moment as its UTC spelling.
        var atUtc = await PlatformHost.ReadJsonAsync(await op.GetAsync("/v1/audit?from=2026-01-31T16:00:00Z&limit=1000"));
        var atPlus8 = await PlatformHost.ReadJsonAsync(await op.GetAsync("/v1/audit?from=2026-02-01T00:00:00%2B08:00&limit=1000"));
        Assert.Equal(atUtc["items"]!.AsArray().Count, atPlus8["items"]!.AsArray().Count);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_access_decision_expiring_at_an_instant_with_an_offset_is_answered(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = host.As("demo-consumer", "catalogue:read", "records:read", "access:request");
        var reviewer = AccessScenarios.Reviewer(host, "ningbo-12345-hotline");
        foreach (var offset in new[] { "+08:00", "-05:00", "+14:00" })
        {
            var request = await AccessScenarios.SubmitAsync(consumer, "hotline-12345-requests", new[] { "callerName" });
            var id = request["id"]!.GetValue<string>();
            var expires = DateTimeOffset.UtcNow.AddDays(10).ToOffset(TimeSpan.Parse(offset.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture));
            var response = await reviewer.PostAsJsonAsync($"/v1/access-requests/{id}/decision", new { decision = "approve", reason = "edge", expiresAt = expires });
            await InputAssert.AnsweredAsync(response, "expiresAt " + offset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{offset}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
