using System.Globalization;
using System.Net;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.GraphQLCalls;
using static OpenData.Tests.Infrastructure.QuotaScenarios;

namespace OpenData.Tests.GraphQL;

/// <summary>
/// GraphQL requests pass the same quota admission as REST: one request each, whatever the document asks for, plus the rows
/// its record pages read; the same RateLimit headers and the same 429 problem when a limit is reached.
/// </summary>
public sealed class GraphQLQuotaTests
{
    private const string Plans = """
        plans:
          anonymous: {ratePerSecond: 1000, burst: 1000, dailyRequests: 3, dailyRows: 100000, exportRows: 100000}
          free: {ratePerSecond: 1000, burst: 1000, dailyRequests: 1000, dailyRows: 1000, exportRows: 1000}
          contest: {ratePerSecond: 1000, burst: 1000, dailyRequests: 1000, dailyRows: 1000, exportRows: 1000}
          partner: {ratePerSecond: 1000, burst: 1000, dailyRequests: 100000, dailyRows: 100000000, exportRows: 100000000}
          operator: {ratePerSecond: unlimited, burst: unlimited, dailyRequests: unlimited, dailyRows: unlimited, exportRows: unlimited}
        """;

    private const string TwoPages = """
        { a: dataset(id: "ningbo-villages") { records(first: 30) { items } }
          b: dataset(id: "ningbo-air-quality-daily") { records(first: 12) { items } } }
        """;

    private static long Remaining(HttpResponseMessage response, string policy) =>
        long.Parse(Fields(response, "RateLimit")[policy]["r"], CultureInfo.InvariantCulture);

    [DatabaseTheory, OnEachDatabase]
    public async Task A_GraphQL_request_counts_once_and_its_rows_count_as_rows(string db)
    {
        await using var host = await StartAsync(db, Plans);
        await CreateTenantAsync(host, "gql-metered", "free", new { dailyRequests = 6 });
        var client = host.As("gql-metered", "catalogue:read", "records:read");

        var first = await PostAsync(client, "{ __typename }");
        first.Ok();
        var policy = Fields(first.Response, "RateLimit-Policy");
        Assert.Equal("6", policy["daily"]["q"]);
        Assert.Equal("1000", policy["rows"]["q"]);
        Assert.Equal(5, Remaining(first.Response, "daily"));
        var rowsBefore = Remaining(first.Response, "rows");
        Assert.Equal(1000, rowsBefore);

        // One request reading two pages, 30 + 12 rows.
        var pages = await PostAsync(client, TwoPages);
        var data = pages.Ok();
        Assert.Equal(30, data["a"]!["records"]!["items"]!.AsArray().Count);
        Assert.Equal(12, data["b"]!["records"]!["items"]!.AsArray().Count);
        Assert.Equal(4, Remaining(pages.Response, "daily"));

        var quota = await RestAsync(client, "/v1/quota");
        Assert.Equal(rowsBefore - 42, quota["remaining"]!["dailyRows"]!.GetValue<long>());
        var left = quota["remaining"]!["dailyRequests"]!.GetValue<long>();
        Assert.InRange(left, 3, 4);

        // GET counts as POST does; the answer that follows shows the rows gone.
        var get = await GetAsync(client, """{ dataset(id: "ningbo-villages") { records(first: 5) { items } } }""");
        Assert.Equal(5, get.Ok()["dataset"]!["records"]!["items"]!.AsArray().Count);
        Assert.Equal(left - 1, Remaining(get.Response, "daily"));
        Assert.Equal(rowsBefore - 42, Remaining(get.Response, "rows"));

        // A refused document still counts as a request; then the day's requests run out and the next is REST's 429.
        var refused = await PostAsync(client, "{ nope }");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(left - 2, Remaining(refused.Response, "daily"));
        Assert.Equal(rowsBefore - 47, Remaining(refused.Response, "rows"));
        for (var i = left - 2; i > 0; i--)
        {
            var admitted = await PostAsync(client, "{ __typename }");
            admitted.Ok();
            Assert.Equal(i - 1, Remaining(admitted.Response, "daily"));
        }
        var throttled = await PostAsync(client, "{ __typename }");
        var problem = await ProblemAssert.IsProblemAsync(throttled.Response, HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        Assert.Equal("daily", problem["policy"]!.GetValue<string>());
        Assert.Equal(0, Remaining(throttled.Response, "daily"));
        Assert.True(throttled.Response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 86400 }, throttled.Response.Headers.RetryAfter?.ToString());
        await ProblemAssert.IsProblemAsync((await GetAsync(client, "{ __typename }")).Response, HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/v1/datasets"), HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_quota_field_tells_what_GET_v1_quota_tells_and_usage_counts_rows_under_their_datasets(string db)
    {
        await using var host = await StartAsync(db, Plans);
        await CreateTenantAsync(host, "gql-usage", "partner");
        var client = host.As("gql-usage", "catalogue:read", "records:read");
        (await PostAsync(client, TwoPages)).Ok();

        // quota: the same plan, limits and what is left as REST's (the field answers after its own request was admitted).
        var graph = (await PostAsync(client, "{ quota { tenant plan day limits { dailyRequests dailyRows } remaining { dailyRequests dailyRows } } }")).Ok()["quota"]!;
        var rest = await RestAsync(client, "/v1/quota");
        Assert.Equal("gql-usage", graph["tenant"]!.GetValue<string>());
        Assert.Equal(rest["plan"]!.GetValue<string>(), graph["plan"]!.GetValue<string>());
        Assert.Equal(rest["day"]!.GetValue<string>(), graph["day"]!.GetValue<string>());
        Assert.Equal(rest["limits"]!["dailyRows"]!.GetValue<long>(), graph["limits"]!["dailyRows"]!.GetValue<long>());
        Assert.Equal(rest["remaining"]!["dailyRows"]!.GetValue<long>(), graph["remaining"]!["dailyRows"]!.GetValue<long>());
        Assert.Equal(rest["limits"]!["dailyRows"]!.GetValue<long>() - 42, rest["remaining"]!["dailyRows"]!.GetValue<long>());
        Assert.InRange(rest["remaining"]!["dailyRequests"]!.GetValue<long>(), graph["remaining"]!["dailyRequests"]!.GetValue<long>() - 1, graph["remaining"]!["dailyRequests"]!.GetValue<long>());

        // usage: the request counts once, under no dataset; its rows under the two datasets they came from.
        var usage = (await PostAsync(client, "{ usage { tenant items { dataset requests rows } totals { requests rows } } }")).Ok()["usage"]!;
        Assert.Equal("gql-usage", usage["tenant"]!.GetValue<string>());
        var items = usage["items"]!.AsArray().ToDictionary(i => i!["dataset"]!.GetValue<string>(), i => i!);
        Assert.Equal(30, items["ningbo-villages"]["rows"]!.GetValue<long>());
        Assert.Equal(12, items["ningbo-air-quality-daily"]["rows"]!.GetValue<long>());
        Assert.Equal(0, items["ningbo-villages"]["requests"]!.GetValue<long>());
        Assert.Equal(42, usage["totals"]!["rows"]!.GetValue<long>());
        // Two GraphQL requests came before (three if GET /v1/quota is metered); the last may still be settling as this one runs.
        Assert.InRange(items[""]["requests"]!.GetValue<long>(), 1, 3);
        var restUsage = await RestAsync(client, "/v1/usage");
        Assert.Equal(42, restUsage["totals"]!["rows"]!.GetValue<long>());
        Assert.True(restUsage["totals"]!["requests"]!.GetValue<long>() > usage["totals"]!["requests"]!.GetValue<long>(), restUsage.ToJsonString());
        Assert.Equal(
            restUsage["items"]!.AsArray().Where(i => i!["dataset"]!.GetValue<string>() != "").Select(i => (i!["dataset"]!.GetValue<string>(), i["rows"]!.GetValue<long>())).Order(),
            items.Values.Where(i => i["dataset"]!.GetValue<string>() != "").Select(i => (i["dataset"]!.GetValue<string>(), i["rows"]!.GetValue<long>())).Order());
        AssertFieldError(await PostAsync(host.Anonymous(), "{ usage { tenant } }"), "auth.token_required", 401);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Anonymous_GraphQL_callers_share_the_anonymous_plan_with_REST(string db)
    {
        await using var host = await StartAsync(db, Plans);
        var client = host.Anonymous();
        var first = await PostAsync(client, "{ datasets(first: 1) { items { id } } }");
        first.Ok();
        Assert.Equal("3", Fields(first.Response, "RateLimit-Policy")["daily"]["q"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/datasets")).StatusCode);
        (await GetAsync(client, "{ __typename }")).Ok();
        var refused = await PostAsync(client, "{ __typename }");
        await ProblemAssert.IsProblemAsync(refused.Response, HttpStatusCode.TooManyRequests, "quota.daily_exceeded");
        Assert.True(refused.Response.Headers.Contains("RateLimit-Policy"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task When_the_days_rows_run_out_a_page_is_cut_and_then_refused_with_the_429_code(string db)
    {
        await using var host = await StartAsync(db, Plans);
        await CreateTenantAsync(host, "gql-rows", "free", new { dailyRows = 50 });
        var client = host.As("gql-rows", "catalogue:read", "records:read");
        const string page = """{ dataset(id: "ningbo-villages") { records(first: 40) { items next } } }""";
        Assert.Equal(40, (await PostAsync(client, page)).Ok()["dataset"]!["records"]!["items"]!.AsArray().Count);
        var cut = (await PostAsync(client, page)).Ok()["dataset"]!["records"]!;
        Assert.Equal(10, cut["items"]!.AsArray().Count);
        Assert.NotNull(cut["next"]);
        var none = await PostAsync(client, page);
        AssertFieldError(none, "quota.daily_exceeded", 429);
        Assert.Equal(0, Remaining(none.Response, "rows"));
        // The catalogue, which reads no rows, still answers.
        (await PostAsync(client, "{ datasets(first: 1) { items { id } } }")).Ok();
    }
}
