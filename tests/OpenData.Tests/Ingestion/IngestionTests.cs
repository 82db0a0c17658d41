using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Ingestion;

/// <summary>Uploading versions as CSV: jobs, the atomic switch, and every way an upload can be refused or fail.</summary>
public sealed partial class IngestionTests
{
    private const string Owner = "ningbo-civil-affairs";

    [GeneratedRegex("^/v1/ingestions/([0-9A-Za-z-]+)$")]
    private static partial Regex JobPath();

    private static string Rows(int count, Func<int, string> row)
    {
        var csv = new StringBuilder("id,name,amount\n");
        for (var i = 1; i <= count; i++)
        {
            csv.Append(row(i)).Append('\n');
        }
        return csv.ToString();
    }

    private static async Task<(PlatformHost Host, HttpClient Owner)> StartWithDatasetAsync(string db, string datasetId, string firstVersionCsv, IDictionary<string, string?>? settings = null)
    {
        var host = await PlatformHost.StartAsync(db, settings);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, datasetId, "open", ("id", "integer"), ("name", "string"), ("amount", "integer"));
        var job = await host.UploadAsync(owner, datasetId, firstVersionCsv);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        Assert.Equal(1, job.GetProperty("version").GetInt32());
        return (host, owner);
    }

    private static async Task<HttpResponseMessage> PostCsvAsync(HttpClient client, string datasetId, byte[] body, string? contentType = "text/csv", string query = "")
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return await client.PostAsync($"/v1/datasets/{datasetId}/versions{query}", content);
    }

    private static async Task<JsonElement> UploadExpectingFailureAsync(PlatformHost host, HttpClient owner, string datasetId, string csv)
    {
        var job = await host.UploadAsync(owner, datasetId, csv);
        Assert.True(job.GetProperty("status").GetString() == "failed", job.ToString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("version").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(job.GetProperty("message").GetString()), job.ToString());
        return job;
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_upload_failing_at_row_2000_of_3000_leaves_the_previous_version_served_unchanged(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "payments", Rows(3000, i => $"{i},first-{i},{i * 10}"));
        await using var _ = host;
        var reader = host.Anonymous();
        var before = await DatasetSnapshot.TakeAsync(reader, "payments");
        Assert.Equal(1, before.Version);
        Assert.Equal(3000, before.RowCount);
        Assert.Equal(3000, before.RowsServed);
        Assert.Equal("1", before.ServedVersion);

        var job = await UploadExpectingFailureAsync(host, owner, "payments",
            Rows(3000, i => i == 2000 ? $"{i},second-{i},12x" : $"{i},second-{i},{i * 7}"));

        Assert.Equal(3000, job.GetProperty("rowsRead").GetInt64());
        Assert.True(job.GetProperty("rowsRejected").GetInt64() >= 1, job.ToString());
        var error = job.GetProperty("errors")[0];
        Assert.Equal(2000, error.GetProperty("row").GetInt64());
        Assert.Equal("amount", error.GetProperty("column").GetString());
        Assert.Contains("12x", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2001, error.GetProperty("line").GetInt64());

        var after = await DatasetSnapshot.TakeAsync(reader, "payments");
        Assert.Equal(before, after);
        var (_, rows) = await DatasetSnapshot.ReadAllRowsAsync(reader, "payments");
        Assert.Equal("first-2000", rows[1999]!["name"]!.GetValue<string>());
        Assert.Equal(20000, rows[1999]!["amount"]!.GetValue<long>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_good_upload_is_accepted_as_a_job_and_publishes_version_2(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "budget", Rows(3, i => $"{i},old-{i},{i}"));
        await using var _ = host;

        var response = await PostCsvAsync(owner, "budget", Encoding.UTF8.GetBytes(Rows(4, i => $"{i},新-{i},{i * 100}")));
        var accepted = await PlatformHost.ReadJsonAsync(response, HttpStatusCode.Accepted);
        Assert.NotNull(response.Headers.Location);
        var location = response.Headers.Location!;
        Assert.True(location.IsAbsoluteUri, location.ToString());
        var match = JobPath().Match(location.AbsolutePath);
        Assert.True(match.Success, location.ToString());
        Assert.Equal(match.Groups[1].Value, accepted["id"]!.GetValue<string>());
        Assert.Equal("budget", accepted["datasetId"]!.GetValue<string>());
        Assert.Contains(accepted["status"]!.GetValue<string>(), new[] { "queued", "running", "succeeded" });

        var job = await PlatformHost.WaitForJobAsync(owner, location.ToString());
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        Assert.Equal(2, job.GetProperty("version").GetInt32());
        Assert.Equal(4, job.GetProperty("rowsRead").GetInt64());
        Assert.Equal(0, job.GetProperty("rowsRejected").GetInt64());
        Assert.Equal(0, job.GetProperty("errors").GetArrayLength());
        Assert.Equal(1.0, job.GetProperty("progress").GetDouble());

        var reader = host.Anonymous();
        var (served, rows) = await DatasetSnapshot.ReadAllRowsAsync(reader, "budget");
        Assert.Equal("2", served);
        Assert.Equal(
            """[{"id":1,"name":"新-1","amount":100},{"id":2,"name":"新-2","amount":200},{"id":3,"name":"新-3","amount":300},{"id":4,"name":"新-4","amount":400}]""",
            rows.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        var detail = await PlatformHost.ReadJsonAsync(await reader.GetAsync("/v1/datasets/budget"));
        Assert.Equal(2, detail["version"]!.GetValue<int>());
        Assert.Equal(4, detail["rowCount"]!.GetValue<long>());
        var latest = detail["versions"]![0]!;
        Assert.Equal(2, latest["version"]!.GetValue<int>());
        Assert.Equal(4, latest["rowCount"]!.GetValue<long>());
        Assert.Equal("published", latest["status"]!.GetValue<string>());
        Assert.DoesNotContain(detail["versions"]!.AsArray(), v => v!["status"]!.GetValue<string>() == "published" && v["version"]!.GetValue<int>() != 2);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_header_missing_a_column_fails_and_names_it(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "headers-missing", Rows(2, i => $"{i},a,{i}"));
        await using var _ = host;
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "headers-missing");

        var job = await UploadExpectingFailureAsync(host, owner, "headers-missing", "id,name\n1,a\n");

        var message = job.GetProperty("message").GetString()!;
        Assert.Contains("missing", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("amount", message, StringComparison.Ordinal);
        Assert.Equal(before, await DatasetSnapshot.TakeAsync(host.Anonymous(), "headers-missing"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_header_with_an_undeclared_column_fails_and_names_it(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "headers-extra", Rows(2, i => $"{i},a,{i}"));
        await using var _ = host;
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "headers-extra");

        var job = await UploadExpectingFailureAsync(host, owner, "headers-extra", "id,name,amount,colour\n1,a,2,red\n");

        Assert.Contains("colour", job.GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.Equal(before, await DatasetSnapshot.TakeAsync(host.Anonymous(), "headers-extra"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_empty_body_is_refused_with_400(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "empty-body", Rows(2, i => $"{i},a,{i}"));
        await using var _ = host;
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "empty-body");

        await ProblemAssert.IsProblemAsync(await PostCsvAsync(owner, "empty-body", []), HttpStatusCode.BadRequest, "ingestion.empty");

        // The same without Content-Length: the body is streamed and turns out empty.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/v1/datasets/empty-body/versions") { Content = new StreamContent(new MemoryStream()) };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        chunked.Headers.TransferEncodingChunked = true;
        await ProblemAssert.IsProblemAsync(await owner.SendAsync(chunked), HttpStatusCode.BadRequest, "ingestion.empty");

        Assert.Equal(before, await DatasetSnapshot.TakeAsync(host.Anonymous(), "empty-body"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_header_without_rows_fails_with_no_rows(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "header-only", Rows(2, i => $"{i},a,{i}"));
        await using var _ = host;
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "header-only");

        var job = await UploadExpectingFailureAsync(host, owner, "header-only", "id,name,amount\n");

        Assert.Contains("no rows", job.GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.Equal(0, job.GetProperty("rowsRead").GetInt64());
        Assert.Equal(before, await DatasetSnapshot.TakeAsync(host.Anonymous(), "header-only"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Rows_with_the_wrong_number_of_fields_are_rejected(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "ragged", Rows(2, i => $"{i},a,{i}"));
        await using var _ = host;
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "ragged");

        var job = await UploadExpectingFailureAsync(host, owner, "ragged", "id,name,amount\n1,a,1\n2,b\n3,c,3,extra\n4,d,4\n");

        Assert.Equal(4, job.GetProperty("rowsRead").GetInt64());
        Assert.Equal(2, job.GetProperty("rowsRejected").GetInt64());
        var errors = job.GetProperty("errors");
        Assert.Equal(2, errors[0].GetProperty("row").GetInt64());
        Assert.Equal(3, errors[1].GetProperty("row").GetInt64());
        Assert.Contains("2 fields", errors[0].GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.Contains("4 fields", errors[1].GetProperty("message").GetString()!, StringComparison.Ordinal);
        Assert.Equal(before, await DatasetSnapshot.TakeAsync(host.Anonymous(), "ragged"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_unterminated_quote_fails_and_publishes_nothing(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "unterminated", Rows(2, i => $"{i},a,{i}"));
        await using var _ = host;
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "unterminated");

        await UploadExpectingFailureAsync(host, owner, "unterminated", "id,name,amount\n1,\"never closed,1\n2,b,2\n");

        Assert.Equal(before, await DatasetSnapshot.TakeAsync(host.Anonymous(), "unterminated"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_unterminated_quote_in_the_last_column_fails_and_publishes_nothing(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "unterminated-last", "open", ("id", "integer"), ("name", "string"), ("note", "string"));
        var first = await host.UploadAsync(owner, "unterminated-last", "id,name,note\n1,a,x\n2,b,y\n");
        Assert.True(first.GetProperty("status").GetString() == "succeeded", first.ToString());
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "unterminated-last");

        // The quote opened on row 1 never closes: the rest of the file is not three rows but one broken field.
        var job = await host.UploadAsync(owner, "unterminated-last", "id,name,note\n1,a,\"never closed\n2,b,y\n3,c,z\n");

        var after = await DatasetSnapshot.TakeAsync(host.Anonymous(), "unterminated-last");
        Assert.True(job.GetProperty("status").GetString() == "failed", $"{job} published {after.Rows}");
        Assert.Equal(before, after);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Quoted_fields_with_commas_quotes_and_newlines_load_exactly(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "quoted", "open", ("id", "integer"), ("text", "string"), ("note", "string"));
        var csv = "id,text,note\n" +
                  "1,\"Ningbo, Zhejiang\",plain\n" +
                  "2,\"She said \"\"你好\"\"\",\"\"\"\"\n" +
                  "3,\"line one\nline two\",\"a,\"\"b\"\",\nc\"\n" +
                  "4,  spaces kept  ,\"\"\n";

        var job = await host.UploadAsync(owner, "quoted", csv);

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        Assert.Equal(4, job.GetProperty("rowsRead").GetInt64());
        var (_, rows) = await DatasetSnapshot.ReadAllRowsAsync(host.Anonymous(), "quoted");
        Assert.Equal(4, rows.Count);
        Assert.Equal("Ningbo, Zhejiang", rows[0]!["text"]!.GetValue<string>());
        Assert.Equal("She said \"你好\"", rows[1]!["text"]!.GetValue<string>());
        Assert.Equal("\"", rows[1]!["note"]!.GetValue<string>());
        Assert.Equal("line one\nline two", rows[2]!["text"]!.GetValue<string>());
        Assert.Equal("a,\"b\",\nc", rows[2]!["note"]!.GetValue<string>());
        Assert.Equal("  spaces kept  ", rows[3]!["text"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_utf8_file_with_byte_order_mark_and_crlf_line_ends_loads(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "excel-export", "open", ("code", "string"), ("名称", "string"));
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("code,名称\r\n330203,海曙区\r\n330205,江北区\r\n")).ToArray();

        var job = await host.UploadAsync(owner, "excel-export", body);

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        var (_, rows) = await DatasetSnapshot.ReadAllRowsAsync(host.Anonymous(), "excel-export");
        Assert.Equal(2, rows.Count);
        Assert.Equal("330203", rows[0]!["code"]!.GetValue<string>());
        Assert.Equal("海曙区", rows[0]!["名称"]!.GetValue<string>());
        Assert.Equal("江北区", rows[1]!["名称"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_body_that_is_not_csv_is_refused_with_415(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "media", Rows(2, i => $"{i},a,{i}"));
        await using var _ = host;
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "media");
        var csv = Encoding.UTF8.GetBytes("id,name,amount\n9,z,9\n");

        var asJson = await PostCsvAsync(owner, "media", csv, "application/json");
        var withoutType = await PostCsvAsync(owner, "media", csv, contentType: null);

        Assert.Equal(before, await DatasetSnapshot.TakeAsync(host.Anonymous(), "media"));
        var problem = await ProblemAssert.IsProblemAsync(asJson, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
        Assert.Contains("text/csv", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(withoutType, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Csv_sent_as_application_csv_or_text_plain_is_accepted(string db)
    {
        // IngestionEndpoints.UploadVersion reads text/csv, application/csv and text/plain alike.
        var (host, owner) = await StartWithDatasetAsync(db, "media-alias", Rows(2, i => $"{i},a,{i}"));
        await using var _ = host;

        foreach (var contentType in new[] { "application/csv", "text/plain; charset=utf-8" })
        {
            var response = await PostCsvAsync(owner, "media-alias", Encoding.UTF8.GetBytes("id,name,amount\n9,z,9\n"), contentType);
            await PlatformHost.ReadJsonAsync(response, HttpStatusCode.Accepted);
            var job = await PlatformHost.WaitForJobAsync(owner, response.Headers.Location!.ToString());
            Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_unsupported_charset_is_refused_with_415(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "charsets", Rows(2, i => $"{i},a,{i}"));
        await using var _ = host;
        var before = await DatasetSnapshot.TakeAsync(host.Anonymous(), "charsets");
        var csv = Encoding.UTF8.GetBytes("id,name,amount\n9,z,9\n");

        var header = await ProblemAssert.IsProblemAsync(await PostCsvAsync(owner, "charsets", csv, "text/csv; charset=big5"),
            HttpStatusCode.UnsupportedMediaType, "ingestion.unsupported_charset");
        Assert.Contains("big5", header["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("gb18030", header["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await PostCsvAsync(owner, "charsets", csv, "text/csv", "?charset=latin1"),
            HttpStatusCode.UnsupportedMediaType, "ingestion.unsupported_charset");

        Assert.Equal(before, await DatasetSnapshot.TakeAsync(host.Anonymous(), "charsets"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_upload_to_an_unknown_dataset_answers_404(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var response = await PostCsvAsync(host.Owner(Owner), "no-such-dataset", Encoding.UTF8.GetBytes("a\n1\n"));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "dataset.not_found");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Only_the_owning_organisation_may_upload(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var reader = host.Anonymous();
        var before = await DatasetSnapshot.TakeAsync(reader, "ningbo-villages");
        var csv = Encoding.UTF8.GetBytes("code,name,streetCode,provinceCode,cityCode,areaCode\n1,x,2,3,4,5\n");

        var otherOrganisation = host.As("ningbo-ecology-environment", "datasets:write");
        var problem = await ProblemAssert.IsProblemAsync(await PostCsvAsync(otherOrganisation, "ningbo-villages", csv),
            HttpStatusCode.Forbidden, "dataset.not_owner");
        Assert.Contains("ningbo-civil-affairs", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(before, await DatasetSnapshot.TakeAsync(reader, "ningbo-villages"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_anonymous_upload_answers_401(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var reader = host.Anonymous();
        var before = await DatasetSnapshot.TakeAsync(reader, "ningbo-villages");
        var csv = Encoding.UTF8.GetBytes("code,name,streetCode,provinceCode,cityCode,areaCode\n1,x,2,3,4,5\n");

        var response = await PostCsvAsync(host.Anonymous(), "ningbo-villages", csv);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.token_required");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(before, await DatasetSnapshot.TakeAsync(reader, "ningbo-villages"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_caller_without_datasets_write_may_not_upload(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var reader = host.Anonymous();
        var before = await DatasetSnapshot.TakeAsync(reader, "ningbo-villages");
        var csv = Encoding.UTF8.GetBytes("code,name,streetCode,provinceCode,cityCode,areaCode\n1,x,2,3,4,5\n");

        var readOnlyMember = host.As(Owner, "catalogue:read", "records:read");
        await ProblemAssert.IsProblemAsync(await PostCsvAsync(readOnlyMember, "ningbo-villages", csv),
            HttpStatusCode.Forbidden, "auth.insufficient_scope");

        Assert.Equal(before, await DatasetSnapshot.TakeAsync(reader, "ningbo-villages"));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Another_organisations_job_answers_404(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "jobs-private", "open", ("id", "integer"));
        var response = await PostCsvAsync(owner, "jobs-private", Encoding.UTF8.GetBytes("id\n1\n"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        var job = await PlatformHost.WaitForJobAsync(owner, location);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());

        var stranger = host.As("ningbo-ecology-environment", "datasets:write");
        var problem = await ProblemAssert.IsProblemAsync(await stranger.GetAsync(location), HttpStatusCode.NotFound, "ingestion.not_found");
        Assert.DoesNotContain("jobs-private", problem.ToJsonString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await owner.GetAsync("/v1/ingestions/0000000000000000000000000000000a"), HttpStatusCode.NotFound, "ingestion.not_found");
        await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync(location), HttpStatusCode.Unauthorized, "auth.token_required");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_upload_over_the_size_limit_answers_413_and_changes_nothing(string db)
    {
        var settings = new Dictionary<string, string?> { ["OpenData:Ingestion:MaxUploadBytes"] = "1000" };
        var (host, owner) = await StartWithDatasetAsync(db, "limited", Rows(2, i => $"{i},a,{i}"), settings);
        await using var _ = host;
        var reader = host.Anonymous();
        var before = await DatasetSnapshot.TakeAsync(reader, "limited");
        var big = Encoding.UTF8.GetBytes(Rows(100, i => $"{i},name-{i},{i}"));
        Assert.True(big.Length > 1000);

        var problem = await ProblemAssert.IsProblemAsync(await PostCsvAsync(owner, "limited", big), HttpStatusCode.RequestEntityTooLarge, "ingestion.too_large");
        Assert.Contains("1000", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(before, await DatasetSnapshot.TakeAsync(reader, "limited"));
        var spool = Path.Combine(host.DataDirectory, "uploads");
        Assert.True(!Directory.Exists(spool) || Directory.GetFiles(spool).Length == 0, "a refused upload left a spool file");
        Assert.Equal(0L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM ingestion_uploads"), CultureInfo.InvariantCulture));

        // Within the limit the same host still takes uploads.
        var small = await host.UploadAsync(owner, "limited", Rows(3, i => $"{i},b,{i}"));
        Assert.True(small.GetProperty("status").GetString() == "succeeded", small.ToString());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_streamed_upload_over_the_size_limit_answers_413_ingestion_too_large(string db)
    {
        var settings = new Dictionary<string, string?> { ["OpenData:Ingestion:MaxUploadBytes"] = "1000" };
        var (host, owner) = await StartWithDatasetAsync(db, "limited-stream", Rows(2, i => $"{i},a,{i}"), settings);
        await using var _ = host;
        var reader = host.Anonymous();
        var before = await DatasetSnapshot.TakeAsync(reader, "limited-stream");
        var big = Encoding.UTF8.GetBytes(Rows(100, i => $"{i},name-{i},{i}"));

        // No Content-Length: the limit can only be found while reading the body.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/datasets/limited-stream/versions") { Content = new StreamContent(new MemoryStream(big)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        request.Headers.TransferEncodingChunked = true;
        var response = await owner.SendAsync(request);

        Assert.Equal(before, await DatasetSnapshot.TakeAsync(reader, "limited-stream"));
        var spool = Path.Combine(host.DataDirectory, "uploads");
        Assert.True(!Directory.Exists(spool) || Directory.GetFiles(spool).Length == 0, "a refused upload left a spool file");
        Assert.Equal(0L, Convert.ToInt64(await host.QueryScalarAsync("SELECT COUNT(*) FROM ingestion_uploads"), CultureInfo.InvariantCulture));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "ingestion.too_large");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Every_kind_of_failed_upload_leaves_the_versions_unchanged(string db)
    {
        var (host, owner) = await StartWithDatasetAsync(db, "steady", Rows(5, i => $"{i},keep-{i},{i}"));
        await using var _ = host;
        var reader = host.Anonymous();
        var before = await DatasetSnapshot.TakeAsync(reader, "steady");
        string[] failing =
        [
            "id,name\n1,a\n",                          // missing column
            "id,name,amount,extra\n1,a,1,x\n",          // undeclared column
            "id,name,amount,amount\n1,a,1,1\n",         // column named twice
            "id,name,amount\n",                         // header only
            "id,name,amount\n1,a\n",                    // ragged row
            "id,name,amount\n1,a,1\n2,b,two\n",         // bad integer on the last row
            "id,name,amount\nx,a,1\n",                  // bad integer on the first row
        ];
        foreach (var csv in failing)
        {
            await UploadExpectingFailureAsync(host, owner, "steady", csv);
            Assert.Equal(before, await DatasetSnapshot.TakeAsync(reader, "steady"));
        }

        // A good upload afterwards publishes, and is the only version besides the first that readers ever see.
        var good = await host.UploadAsync(owner, "steady", Rows(2, i => $"{i},new-{i},{i}"));
        Assert.True(good.GetProperty("status").GetString() == "succeeded", good.ToString());
        var detail = await PlatformHost.ReadJsonAsync(await reader.GetAsync("/v1/datasets/steady"));
        var versions = detail["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()).ToList();
        Assert.Equal([good.GetProperty("version").GetInt32(), 1], versions);
        Assert.Equal(2, detail["rowCount"]!.GetValue<long>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_accepted_job_reports_its_size_and_charset_then_its_outcome(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Owner);
        await host.CreateDatasetAsync(owner, "job-shape", "open", ("id", "integer"));
        var csv = new StringBuilder("id\n");
        for (var i = 0; i < 10; i++)
        {
            csv.Append(i.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        var response = await PostCsvAsync(owner, "job-shape", bytes);
        var accepted = await PlatformHost.ReadJsonAsync(response, HttpStatusCode.Accepted);
        Assert.Equal(bytes.Length, accepted["bytesTotal"]!.GetValue<long>());
        Assert.Equal("utf-8", accepted["charset"]!.GetValue<string>());

        var job = await PlatformHost.WaitForJobAsync(owner, response.Headers.Location!.ToString());
        Assert.Equal(10, job.GetProperty("rowsRead").GetInt64());
        Assert.Equal(1, job.GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.String, job.GetProperty("finishedAt").ValueKind);
        var again = await owner.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal("succeeded", again.GetProperty("status").GetString());
    }
}
