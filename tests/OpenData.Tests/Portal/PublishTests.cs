using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Portal.ConsoleTests;

namespace OpenData.Tests.Portal;

/// <summary>
/// The owner's publish flow on the real host: the form declares a dataset through the service of <c>POST /v1/datasets</c> (its
/// refusals on the fields), the upload page loads a CSV through the ingestion service as the signed-in person, the job's page is
/// the data-quality report (computed during the load) and its progress is streamed as Server-Sent Events. A failed upload says
/// why with line numbers and leaves the version served as it was; a consumer's member reaches none of it.
/// </summary>
public sealed class PublishTests
{
    private const string Owner = "ningbo-civil-affairs";

    // An empty age (row 2), a phone column the profiler recognises, dates and whole numbers for min/max.
    private const string GoodCsv = "name,phone,age,registered\n张三,13812345678,30,2024-01-05\n李四,13987654321,,2024-02-10\n王五,13700001111,45,2023-12-31\n";

    // Line 3 holds an age that is not a number: the whole upload is refused.
    private const string BadCsv = "name,phone,age,registered\n赵六,13812340000,50,2024-03-01\n钱七,13812340001,abc,2024-03-02\n孙八,13812340002,20,2024-03-03\n";

    [DatabaseTheory, OnEachDatabase]
    public async Task The_form_shows_each_tags_effect_from_the_policy_and_puts_the_services_refusals_on_their_fields(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = await ConsolePeople.SignInAsync(host, Owner, "admin", "publisher@civil.example.test");
        var page = await browser.GetAsync("/console/publish");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        // What pii.phone does, derived from desensitisation.yaml: masked without a grant, clear with one.
        var phone = Regex.Match(html, "<tr data-tag=\"pii.phone\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Matches("data-level=\"open\" data-transform=\"mask\">\\s*掩码，保留前 3 位和后 4 位 → <code data-example>138\\*\\*\\*\\*1234</code>", phone);
        Assert.Contains("data-level=\"granted\" data-transform=\"clear\"", phone, StringComparison.Ordinal);
        Assert.Contains("<option value=\"pii.id_card\">", html, StringComparison.Ordinal);
        var token = AntiforgeryField(html);

        // Without script, "add a column" is a round trip that keeps what was typed.
        var added = await browser.PostAsync("/console/publish?handler=AddColumn", new FormUrlEncodedContent(
            [.. token, new("id", "my-data"), new("columns[0].name", "a"), new("columns[0].type", "string")]));
        var addedHtml = await added.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(2, Regex.Count(addedHtml, "data-column-row="));
        Assert.Contains("value=\"my-data\"", addedHtml, StringComparison.Ordinal);
        // The form still creates: its address is the page's own, not the round trip's handler.
        Assert.Contains("action=\"/console/publish\"", addedHtml, StringComparison.Ordinal);
        var removed = await browser.PostAsync("/console/publish?handler=RemoveColumn", new FormUrlEncodedContent(
            [.. token, new("remove", "0"), new("columns[0].name", "a"), new("columns[1].name", "b")]));
        var removedHtml = await removed.Content.ReadAsStringAsync();
        Assert.Single(Regex.Matches(removedHtml, "data-column-row="));
        Assert.Contains("value=\"b\"", removedHtml, StringComparison.Ordinal);

        // A bad slug and no columns: the form again, 400, each field saying what to fix, nothing created.
        var bad = await browser.PostAsync("/console/publish", new FormUrlEncodedContent(
            [.. token, new("id", "Bad Slug!"), new("title", "测试"), new("theme", "public-services"), new("classification", "open"), new("license", "CC-BY-4.0"),
                new("updateFrequency", "monthly")]));
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("data-field-error=\"id\"", badHtml, StringComparison.Ordinal);
        Assert.Contains("data-field-error=\"columns\">请至少声明一个字段", badHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"测试\"", badHtml, StringComparison.Ordinal);

        // The same column twice, and a tag that does not fit its type: on the row that has it.
        var twice = await browser.PostAsync("/console/publish", new FormUrlEncodedContent(
            [.. token, new("id", "twice-data"), new("title", "测试"), new("theme", "public-services"), new("classification", "open"), new("license", "CC-BY-4.0"),
                new("updateFrequency", "monthly"), new("columns[0].name", "code"), new("columns[0].type", "string"),
                new("columns[1].name", "Code"), new("columns[1].type", "integer"), new("columns[1].tag", "pii.phone")]));
        var twiceHtml = await twice.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("data-field-error=\"columns[1].name\"", twiceHtml, StringComparison.Ordinal);
        Assert.Contains("data-field-error=\"columns[1].tag\"", twiceHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("data-field-error=\"columns[0].name\"", twiceHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous().GetAsync("/v1/datasets/twice-data")).StatusCode);

        // An id taken: the service's conflict, on the id field.
        var taken = await browser.PostAsync("/console/publish", new FormUrlEncodedContent(
            [.. token, new("id", "ningbo-villages"), new("title", "测试"), new("theme", "public-services"), new("classification", "open"), new("license", "CC-BY-4.0"),
                new("updateFrequency", "monthly"), new("columns[0].name", "code"), new("columns[0].type", "string")]));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("data-field-error=\"id\">已存在使用此标识的数据集", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_dataset_published_and_uploaded_through_the_pages_gets_its_quality_report_and_a_failed_upload_keeps_the_version_served(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = await ConsolePeople.SignInAsync(host, Owner, "admin", "publisher@civil.example.test");
        var id = await CreateAsync(browser, "residents-test");
        var api = host.As(Owner, "catalogue:read", "records:read", "datasets:write");

        // The columns' English is kept and shown by the API.
        var declared = await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/datasets/{id}"));
        var phoneColumn = declared["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "phone")!;
        Assert.Equal("Phone", phoneColumn["titleEn"]!.GetValue<string>());
        Assert.Equal("联系电话", phoneColumn["title"]!.GetValue<string>());
        Assert.Equal("The resident's mobile", phoneColumn["descriptionEn"]!.GetValue<string>());

        // Without script: the form posts the file and the answer is the job's page.
        var upload = await browser.GetStringAsync($"/console/datasets/{id}/upload");
        Assert.Contains("data-upload-form", upload, StringComparison.Ordinal);
        Assert.Contains("name,phone,age,registered", upload, StringComparison.Ordinal);
        var posted = await PostFileAsync(browser, id, upload, GoodCsv);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var jobUrl = posted.Headers.Location!.OriginalString;
        Assert.Matches("^/console/ingestions/[0-9a-f]{32}$", jobUrl);
        var report = await FinishedAsync(browser, jobUrl);
        Assert.Contains("data-status=\"succeeded\"", report, StringComparison.Ordinal);
        Assert.Contains("data-rows-loaded=\"3\"", report, StringComparison.Ordinal);
        Assert.Contains("data-rows-rejected=\"0\"", report, StringComparison.Ordinal);
        var age = Column(report, "age");
        Assert.Contains("data-empty=\"1\" data-distinct=\"2\" data-distinct-exact=\"true\"", age, StringComparison.Ordinal);
        Assert.Contains("33.3", age, StringComparison.Ordinal);
        Assert.Contains("data-min=\"30\"", age, StringComparison.Ordinal);
        Assert.Contains("data-max=\"45\"", age, StringComparison.Ordinal);
        var registered = Column(report, "registered");
        Assert.Contains("data-min=\"2023-12-31\"", registered, StringComparison.Ordinal);
        Assert.Contains("data-max=\"2024-02-10\"", registered, StringComparison.Ordinal);
        var phone = Column(report, "phone");
        Assert.Contains("data-pii=\"pii.phone\"", phone, StringComparison.Ordinal);
        Assert.Contains("data-distinct=\"3\"", phone, StringComparison.Ordinal);
        Assert.Contains("data-min=\"11\" data-max=\"11\"", Regex.Replace(phone, ">[^<]*</td>\\s*<td ", " "), StringComparison.Ordinal);

        // The API tells the same report.
        var jobId = jobUrl[(jobUrl.LastIndexOf('/') + 1)..];
        var job = await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/ingestions/{jobId}"));
        var quality = job["quality"]!;
        Assert.Equal(3, quality["rowsLoaded"]!.GetValue<long>());
        var apiAge = quality["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "age")!;
        Assert.Equal(1, apiAge["empty"]!.GetValue<long>());
        Assert.Equal("30", apiAge["min"]!.GetValue<string>());
        Assert.Contains("pii.phone", quality["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "phone")!["suggested"]!.AsArray().Select(t => t!.GetValue<string>()));

        // A file with a bad row: refused as a whole, the reason with its line number, and version 1 is still the one served.
        var again = await browser.GetStringAsync($"/console/datasets/{id}/upload");
        var failed = await PostFileAsync(browser, id, again, BadCsv);
        Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        var failedReport = await FinishedAsync(browser, failed.Headers.Location!.OriginalString);
        Assert.Contains("data-status=\"failed\"", failedReport, StringComparison.Ordinal);
        Assert.Contains("data-failed", failedReport, StringComparison.Ordinal);
        Assert.Contains("data-rows-rejected=\"1\"", failedReport, StringComparison.Ordinal);
        Assert.Matches("(?s)<tr data-error-line=\"3\">\\s*<td class=\"text-end\">3</td>.*?age.*?abc", failedReport);
        Assert.Contains("当前提供的版本保持不变", failedReport, StringComparison.Ordinal);
        var served = await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/datasets/{id}"));
        Assert.Equal(1, served["version"]!.GetValue<int>());
        Assert.Equal(3, served["rowCount"]!.GetValue<long>());
        var rows = await PlatformHost.ReadJsonAsync(await api.GetAsync($"/v1/datasets/{id}/records?select=name&order_by=name"));
        Assert.Equal(["张三", "李四", "王五"], rows["items"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_scripts_upload_needs_the_antiforgery_token_and_the_jobs_progress_streams_to_a_final_event(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = await ConsolePeople.SignInAsync(host, Owner, "admin", "publisher@civil.example.test");
        var id = await CreateAsync(browser, "streamed-test");
        var page = await browser.GetStringAsync($"/console/datasets/{id}/upload");
        var token = AntiforgeryField(page)[0].Value;

        using (var forged = new HttpRequestMessage(HttpMethod.Post, $"/console/datasets/{id}/upload?handler=Raw&charset=utf-8"))
        {
            forged.Content = new StringContent(GoodCsv, Encoding.UTF8, "text/csv");
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.SendAsync(forged)).StatusCode);
        }

        using var raw = new HttpRequestMessage(HttpMethod.Post, $"/console/datasets/{id}/upload?handler=Raw&charset=utf-8");
        raw.Headers.Add("RequestVerificationToken", token);
        raw.Content = new StringContent(GoodCsv, Encoding.UTF8, "text/csv");
        var accepted = await browser.SendAsync(raw);
        var answer = await PlatformHost.ReadJsonAsync(accepted, HttpStatusCode.Accepted);
        var events = answer["events"]!.GetValue<string>();
        Assert.Equal($"/console/ingestions/{answer["jobId"]!.GetValue<string>()}?handler=Events", events);

        using var stream = await browser.GetAsync(events, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        // The stream ends by itself after its final event.
        var body = await stream.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var names = Regex.Matches(body, "^event: (\\w+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal("progress", names[0]);
        Assert.Equal("done", names[^1]);
        Assert.Single(names, n => n == "done");
        var last = JsonNode.Parse(Regex.Matches(body, "^data: (.*)$", RegexOptions.Multiline)[^1].Groups[1].Value)!;
        Assert.Equal("succeeded", last["status"]!.GetValue<string>());
        Assert.Equal(1.0, last["progress"]!.GetValue<double>());
        Assert.Equal(3, last["rowsRead"]!.GetValue<long>());

        // The report alone, for the upload page to show.
        var fragment = await browser.GetStringAsync(answer["report"]!.GetValue<string>() + "?handler=Report");
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
        Assert.Contains("data-quality-column=\"phone\"", fragment, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_consumers_member_cannot_publish_upload_or_read_an_owners_report(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var owner = await ConsolePeople.SignInAsync(host, Owner, "admin", "publisher@civil.example.test");
        var id = await CreateAsync(owner, "guarded-test");
        var upload = await owner.GetStringAsync($"/console/datasets/{id}/upload");
        var jobUrl = (await PostFileAsync(owner, id, upload, GoodCsv)).Headers.Location!.OriginalString;
        await FinishedAsync(owner, jobUrl);

        await PlatformHost.ReadJsonAsync(await host.As("platform", "platform:admin", "tenant:admin").PostAsJsonAsync("/v1/tenants",
            new { id = "onlooker-co", name = "旁观者公司", kind = "consumer" }), HttpStatusCode.Created);
        using var consumer = await ConsolePeople.SignInAsync(host, "onlooker-co", "admin", "onlooker@example.test");
        var console = await consumer.GetStringAsync("/console");
        Assert.DoesNotContain("/console/publish", console, StringComparison.Ordinal);
        var publish = await consumer.GetAsync("/console/publish");
        Assert.Equal(HttpStatusCode.Forbidden, publish.StatusCode);
        Assert.Contains("data-not-owner", await publish.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var created = await consumer.PostAsync("/console/publish", new FormUrlEncodedContent(
            [.. AntiforgeryField(console), new("id", "consumer-data"), new("title", "t"), new("theme", "public-services"), new("classification", "open"),
                new("license", "CC-BY-4.0"), new("updateFrequency", "monthly"), new("columns[0].name", "a"), new("columns[0].type", "string")]));
        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous().GetAsync("/v1/datasets/consumer-data")).StatusCode);

        var uploadPage = await consumer.GetAsync($"/console/datasets/{id}/upload");
        Assert.Equal(HttpStatusCode.Forbidden, uploadPage.StatusCode);
        Assert.DoesNotContain("data-upload-form", await uploadPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var raw = new HttpRequestMessage(HttpMethod.Post, $"/console/datasets/{id}/upload?handler=Raw&charset=utf-8");
        raw.Headers.Add("RequestVerificationToken", AntiforgeryField(console)[0].Value);
        raw.Content = new StringContent(GoodCsv, Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.Forbidden, (await consumer.SendAsync(raw)).StatusCode);

        var report = await consumer.GetAsync(jobUrl);
        Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);
        Assert.DoesNotContain("data-quality", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await consumer.GetAsync(jobUrl + "?handler=Events")).StatusCode);

        // Another owner's member does not find the job at all.
        using var otherOwner = await ConsolePeople.SignInAsync(host, "ningbo-12345-hotline", "admin", "hotline-admin@example.test");
        Assert.Equal(HttpStatusCode.NotFound, (await otherOwner.GetAsync(jobUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherOwner.GetAsync($"/console/datasets/{id}/upload")).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_indexed_box_declares_an_indexed_column_a_boolean_one_is_refused_on_its_row_and_the_report_says_which_are_indexed(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        using var browser = await ConsolePeople.SignInAsync(host, Owner, "admin", "publisher@civil.example.test");
        var form = await browser.GetStringAsync("/console/publish");
        Assert.Contains("name=\"columns[0].indexed\" value=\"true\"", form, StringComparison.Ordinal);
        var token = AntiforgeryField(form);
        KeyValuePair<string, string>[] fields = [.. token, new("id", "coded-data"), new("title", "代码测试"), new("theme", "public-services"), new("classification", "open"),
            new("license", "CC-BY-4.0"), new("updateFrequency", "monthly"), new("columns[0].name", "code"), new("columns[0].type", "string"), new("columns[0].indexed", "true")];

        var refused = await browser.PostAsync("/console/publish", new FormUrlEncodedContent(
            [.. fields, new("columns[1].name", "flag"), new("columns[1].type", "boolean"), new("columns[1].indexed", "true")]));
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("data-field-error=\"columns[1].indexed\"", refusedHtml, StringComparison.Ordinal);
        Assert.Matches("name=\"columns\\[0\\].indexed\" value=\"true\" checked", refusedHtml);

        var created = await browser.PostAsync("/console/publish", new FormUrlEncodedContent([.. fields, new("columns[1].name", "note"), new("columns[1].type", "string")]));
        Assert.True(created.StatusCode == HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var declared = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/coded-data"));
        Assert.Equal([true, false], declared["columns"]!.AsArray().Select(c => c!["indexed"]!.GetValue<bool>()));

        var upload = await browser.GetStringAsync("/console/datasets/coded-data/upload");
        var csv = new StringBuilder("code,note\n");
        for (var i = 0; i < 1200; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{330000 + i % 60},{i % 30}\n");
        }
        var report = await FinishedAsync(browser, (await PostFileAsync(browser, "coded-data", upload, csv.ToString())).Headers.Location!.OriginalString);
        Assert.Contains("data-status=\"succeeded\"", report, StringComparison.Ordinal);
        Assert.Contains("data-indexed", Column(report, "code"), StringComparison.Ordinal);
        Assert.Contains("data-suggest-index", Column(report, "note"), StringComparison.Ordinal);
    }

    private static async Task<string> CreateAsync(HttpClient browser, string id)
    {
        var form = await browser.GetStringAsync("/console/publish");
        var created = await browser.PostAsync("/console/publish", new FormUrlEncodedContent(
            [.. AntiforgeryField(form), new("id", id), new("title", "居民登记测试"), new("titleEn", "Residents (test)"), new("description", "测试数据"),
                new("theme", "public-services"), new("classification", "restricted"), new("license", "CC-BY-4.0"), new("updateFrequency", "monthly"),
                new("columns[0].name", "name"), new("columns[0].type", "string"), new("columns[0].title", "姓名"),
                new("columns[1].name", "phone"), new("columns[1].type", "string"), new("columns[1].title", "联系电话"), new("columns[1].titleEn", "Phone"),
                new("columns[1].descriptionEn", "The resident's mobile"),
                new("columns[2].name", "age"), new("columns[2].type", "integer"),
                new("columns[3].name", "registered"), new("columns[3].type", "date")]));
        Assert.True(created.StatusCode == HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        Assert.Equal($"/console/datasets/{id}/upload", created.Headers.Location!.OriginalString);
        return id;
    }

    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient browser, string id, string page, string csv)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in AntiforgeryField(page))
        {
            form.Add(new StringContent(value), name);
        }
        form.Add(new StringContent("utf-8"), "charset");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "data.csv");
        return await browser.PostAsync($"/console/datasets/{id}/upload", form);
    }

    /// <summary>The job's page once the job has ended (the page refreshes itself until then; here it is read again).</summary>
    private static async Task<string> FinishedAsync(HttpClient browser, string url)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var page = await browser.GetAsync(url);
            var html = await page.Content.ReadAsStringAsync();
            Assert.True(page.StatusCode == HttpStatusCode.OK, html);
            if (html.Contains("data-status=\"succeeded\"", StringComparison.Ordinal) || html.Contains("data-status=\"failed\"", StringComparison.Ordinal))
            {
                Assert.False(page.Headers.Contains("Refresh"));
                return html;
            }
            Assert.Equal("2", page.Headers.GetValues("Refresh").Single());
            Assert.True(DateTime.UtcNow < until, "the job did not end within a minute");
            await Task.Delay(100);
        }
    }

    private static string Column(string report, string name) =>
        Regex.Match(report, $"<tr data-quality-column=\"{name}\"(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
}
