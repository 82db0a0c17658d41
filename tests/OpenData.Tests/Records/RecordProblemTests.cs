using System.Net;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Records;

public sealed class RecordProblemTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    public static TheoryData<string, string, int, string, string> BadReads => new()
    {
        // database, url, status, code, a fragment the detail must hold to say what to fix
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?where=" + Uri.EscapeDataString("name = 'x')"), 400, "query.syntax", "unexpected ')' at 11" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?where=" + Uri.EscapeDataString("name = "), 400, "query.syntax", "expected a value" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?where=" + Uri.EscapeDataString("nmae = 'x'"), 400, "query.unknown_column", "did you mean 'name'" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?select=code,nope", 400, "query.unknown_column", "unknown column 'nope'" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?order_by=zzz", 400, "query.unknown_column", "zzz" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?where=" + Uri.EscapeDataString("code = 330203001001"), 400, "query.type_mismatch", "column 'code' is string" },
        { Db.Sqlite, "/v1/datasets/ningbo-air-quality-daily/records?where=" + Uri.EscapeDataString("aqi > 'high'"), 400, "query.type_mismatch", "column 'aqi' is integer" },
        { Db.Sqlite, "/v1/datasets/ningbo-air-quality-daily/records?where=" + Uri.EscapeDataString("aqi like '1%'"), 400, "query.type_mismatch", "'like' compares text" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?limit=0", 400, "query.invalid_limit", "between 1 and 1000" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?limit=1001", 400, "query.invalid_limit", "between 1 and 1000" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?limit=ten", 400, "request.invalid", "limit" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?cursor=not-a-cursor", 400, "query.invalid_cursor", "unchanged" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?format=xml", 400, "query.invalid_format", "json, csv or ndjson" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/export?format=json", 400, "query.invalid_format", "csv or ndjson" },
        { Db.Sqlite, "/v1/datasets/ningbo-villages/records?where=" + Uri.EscapeDataString(string.Concat(Enumerable.Repeat("(", 40)) + "code = '1'" + new string(')', 40)), 400, "query.too_complex", "" },
        { Db.Sqlite, "/v1/datasets/no-such-dataset/records", 404, "dataset.not_found", "no-such-dataset" },
        { Db.Sqlite, "/v1/datasets/hotline-12345-requests/records", 401, "auth.token_required", "restricted" },
        { Db.Sqlite, "/v1/datasets/hotline-12345-requests/export", 401, "auth.token_required", "restricted" },
        { Db.Sqlite, "/v1/no/such/route", 404, "route.not_found", "GET /v1/no/such/route" },
    };

    [Theory, MemberData(nameof(BadReads))]
    public async Task Bad_reads_get_a_problem_that_says_what_to_fix(string db, string url, int status, string code, string fragment)
    {
        var host = await hosts.GetAsync(db);
        var problem = await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync(url), (HttpStatusCode)status, code);
        Assert.Contains(fragment, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_consumer_without_a_grant_gets_access_grant_required(string db)
    {
        var host = await hosts.GetAsync(db);
        var consumer = host.As("some-consumer", "records:read");
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync("/v1/datasets/hotline-12345-requests/records"), HttpStatusCode.Forbidden, "access.grant_required");
        var detail = await PlatformHost.ReadJsonAsync(await consumer.GetAsync("/v1/datasets/hotline-12345-requests"));
        Assert.Equal("requestable", detail["access"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_cursor_used_with_another_filter_is_refused(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        var page = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/ningbo-villages/records?limit=5&where=" + Uri.EscapeDataString("areaCode = '330203'")));
        var cursor = page["next"]!.GetValue<string>();
        await ProblemAssert.IsProblemAsync(
            await client.GetAsync($"/v1/datasets/ningbo-villages/records?limit=5&cursor={cursor}&where=" + Uri.EscapeDataString("areaCode = '330205'")),
            HttpStatusCode.BadRequest, "query.cursor_mismatch");
        await ProblemAssert.IsProblemAsync(
            await client.GetAsync($"/v1/datasets/ningbo-villages/records?limit=5&cursor={cursor}&order_by=name"),
            HttpStatusCode.BadRequest, "query.invalid_cursor");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_dataset_without_rows_yet_answers_not_published(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        await host.CreateDatasetAsync(host.Owner(), "empty-so-far", "open", ("a", "string"));
        await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync("/v1/datasets/empty-so-far/records"), HttpStatusCode.Conflict, "dataset.not_published");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_cursor_keeps_walking_its_version_after_a_publish_and_expires_when_that_version_is_dropped(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner();
        var client = host.Anonymous();
        await host.CreateDatasetAsync(owner, "moving", "open", ("n", "integer"));
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "moving", Csv(1, 10))).GetProperty("status").GetString());

        var first = await client.GetAsync("/v1/datasets/moving/records?limit=4");
        Assert.Equal("1", first.Headers.GetValues("X-Dataset-Version").Single());
        var cursor = (await PlatformHost.ReadJsonAsync(first))["next"]!.GetValue<string>();

        Assert.Equal("succeeded", (await host.UploadAsync(owner, "moving", Csv(100, 3))).GetProperty("status").GetString());
        var rest = await client.GetAsync($"/v1/datasets/moving/records?limit=100&cursor={cursor}");
        Assert.Equal("1", rest.Headers.GetValues("X-Dataset-Version").Single());
        var values = (await PlatformHost.ReadJsonAsync(rest))["items"]!.AsArray().Select(i => i!["n"]!.GetValue<long>());
        Assert.Equal([5L, 6, 7, 8, 9, 10], values);

        var fresh = await PlatformHost.ReadJsonAsync(await client.GetAsync("/v1/datasets/moving/records"));
        Assert.Equal([100L, 101, 102], fresh["items"]!.AsArray().Select(i => i!["n"]!.GetValue<long>()));

        // One retired version is kept; a second publish drops version 1 and its cursors expire.
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "moving", Csv(200, 2))).GetProperty("status").GetString());
        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/v1/datasets/moving/records?cursor={cursor}&limit=4"), HttpStatusCode.Gone, "query.cursor_expired");
    }

    private static string Csv(int from, int count) =>
        "n\n" + string.Concat(Enumerable.Range(from, count).Select(i => $"{i}\n"));
}
