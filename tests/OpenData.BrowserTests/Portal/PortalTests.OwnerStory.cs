using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Portal;

/// <summary>
/// Issue 15's stories end to end in Chromium, three people in three browser contexts. The owner (the civil affairs bureau's
/// admin) publishes a restricted dataset with a phone column, uploads its CSV and watches the progress reach 100 % and the
/// quality report appear, accepts the suggested phone tag; a consumer's developer asks for every column from the dataset's
/// page; the owner sees the risk in the inbox, narrows the phone column away and approves; the consumer's preview now shows
/// the rows without the phone column; the owner revokes and the preview is refused again; the owner's audit page lists the
/// consumer's reads and the chain verified. Then the operator decides the platform's second stage of a sensitive (L3) request.
/// </summary>
public sealed partial class PortalTests
{
    [Fact]
    public async Task The_owner_publishes_tags_approves_narrowed_revokes_and_audits_and_the_operator_decides_an_L3_second_stage()
    {
        var id = $"story-{Guid.NewGuid():N}"[..22];
        var (owner, ownerProblems, ownerContext) = await NewPageAsync();
        await using var _o = ownerContext;
        var (consumer, consumerProblems, consumerContext) = await NewPageAsync();
        await using var _c = consumerContext;
        await owner.SetViewportSizeAsync(1280, 900);
        await consumer.SetViewportSizeAsync(1280, 900);

        // 1. Publish: metadata and three columns, one of them phone numbers left untagged for the profiler to find.
        await SignInAsync(owner, "owner@demo.opendata.local", "/console/publish");
        await owner.GetByLabel("标识").FillAsync(id);
        await owner.GetByLabel("标题（中文）").First.FillAsync("社区志愿者名册（故事测试）");
        await owner.GetByLabel("标题（英文）").First.FillAsync("Community volunteers (story test)");
        await owner.Locator("#field-theme").SelectOptionAsync("public-services");
        await owner.GetByLabel("有条件开放").CheckAsync();
        await owner.Locator("#field-updateFrequency").SelectOptionAsync("monthly");
        await owner.Locator("[id='field-columns[0].name']").FillAsync("district");
        await owner.Locator("[data-add-column]").ClickAsync();
        await owner.Locator("[id='field-columns[1].name']").FillAsync("phone");
        await owner.Locator("[data-add-column]").ClickAsync();
        await owner.Locator("[id='field-columns[2].name']").FillAsync("hours");
        await owner.Locator("[id='field-columns[2].type']").SelectOptionAsync("integer");
        await owner.Locator("[data-create]").ClickAsync();
        await Expect(owner).ToHaveURLAsync(new Regex($"/console/datasets/{id}/upload$"));

        // 2. Upload: the bar goes through the upload's bytes and the job's streamed rows to 100 %, then the quality report.
        string[] districts = ["海曙区", "江北区", "鄞州区", "镇海区", "北仑区"];
        var csv = new StringBuilder("district,phone,hours\n");
        for (var i = 0; i < 12_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{districts[i % districts.Length]},139{i:D8},{i % 40}\n");
        }
        await owner.Locator("#field-file").SetInputFilesAsync(new FilePayload { Name = "volunteers.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await owner.Locator("[data-upload-submit]").ClickAsync();
        var progress = owner.Locator("[data-upload-progress]");
        await Expect(progress).ToHaveAttributeAsync("data-phase", "done", new() { Timeout = 60_000 });
        await Expect(progress).ToHaveAttributeAsync("data-percent", "100");
        Assert.Equal(["upload", "ingest", "done"], (await progress.GetAttributeAsync("data-phases-seen"))!.Split(' '));
        var report = owner.Locator("[data-upload-report] [data-ingestion]");
        await Expect(report).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(report.Locator("[data-rows-loaded]")).ToHaveAttributeAsync("data-rows-loaded", "12000");
        await Expect(report.Locator("[data-quality-column='phone'] [data-pii='pii.phone']")).ToBeVisibleAsync();

        // 3. Tag: the suggestion for the phone column, its sample masked, accepted in one click.
        await owner.GotoAsync($"/console/datasets/{id}/columns");
        var phone = owner.Locator("article[data-column='phone']");
        await Expect(phone.Locator("[data-suggestion='pii.phone']")).ToBeVisibleAsync();
        Assert.DoesNotContain("13900000001", await owner.ContentAsync(), StringComparison.Ordinal);
        await phone.GetByRole(AriaRole.Button, new() { Name = "pii.phone" }).ClickAsync();
        await Expect(phone).ToHaveAttributeAsync("data-tag", "pii.phone");

        // 4. The consumer's developer: the preview is refused, so they ask for every column.
        await SignInAsync(consumer, "developer@demo.opendata.local", $"/datasets/{id}");
        await Expect(consumer.Locator(".preview-refused[data-code='access.grant_required']")).ToBeVisibleAsync();
        await consumer.GetByLabel("用途").FillAsync("统计各区志愿服务时长，用于社区治理研究");
        await consumer.GetByLabel("期限（天）").FillAsync("30");
        await consumer.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Expect(consumer.Locator("[data-request-status='submitted']")).ToBeVisibleAsync();

        // 5. The owner's inbox: the risk of the view the grant would give, recomputed as the phone column is taken away; approve.
        await owner.GotoAsync("/console/inbox");
        var request = owner.Locator("[data-inbox-request][data-requester='demo-consumer']").Filter(new() { HasText = id });
        await Expect(request).ToHaveCountAsync(1);
        var risk = request.Locator("[data-risk-for]");
        await Expect(risk).ToHaveAttributeAsync("data-columns", new Regex("phone"));
        await request.Locator("input[type=checkbox][name=columns][value='phone']").UncheckAsync();
        await Expect(risk).Not.ToHaveAttributeAsync("data-columns", new Regex("phone"));
        await request.GetByLabel("理由").FillAsync("研究无需联系电话，按最小必要原则去掉 phone 列");
        await request.GetByRole(AriaRole.Button, new() { Name = "批准", Exact = true }).ClickAsync();
        await Expect(owner.Locator("[data-decided-status='approved']")).ToBeVisibleAsync();

        // 6. The consumer's preview now shows the rows, without the column the owner narrowed away.
        await consumer.GotoAsync($"/datasets/{id}");
        var header = consumer.Locator(".preview-grid thead th code");
        await Expect(header).ToHaveTextAsync(["district", "hours"]);
        await Expect(consumer.Locator(".preview-grid tbody tr").First).ToContainTextAsync("海曙区");

        // 7. The owner revokes the grant; the consumer's next look is refused again.
        await owner.GotoAsync("/console/grants");
        var grant = owner.Locator("[data-grants='active'] tr[data-grant]").Filter(new() { HasText = id });
        await Expect(grant).ToHaveCountAsync(1);
        await grant.Locator("summary").ClickAsync();
        await grant.Locator("textarea[name=reason]").FillAsync("研究项目已结束");
        await grant.Locator("form[data-revoke] button[type=submit]").ClickAsync();
        await Expect(owner.Locator("[data-revoked]")).ToBeVisibleAsync();
        await consumer.GotoAsync($"/datasets/{id}");
        await Expect(consumer.Locator(".preview-refused[data-code='access.grant_required']")).ToBeVisibleAsync();

        // 8. The owner's audit of the dataset: the consumer's reads under the grant, and the chain verified.
        await owner.GotoAsync($"/console/audit?dataset={id}");
        await Expect(owner.Locator("[data-chain-status='ok']")).ToBeVisibleAsync();
        var reads = owner.Locator("tr[data-audit-entry][data-type='records.read'][data-actor='demo-consumer']");
        await Expect(reads.First).ToBeVisibleAsync();
        await Expect(reads.First.Locator("td[data-grant]")).ToContainTextAsync("gr");
        await CheckAxeAsync(owner, $"zh-CN /console/audit?dataset={id}", ownerProblems);

        // 9. The operator: a sensitive (L3) request the owner approved waits for the platform's second stage.
        var sensitive = await SensitiveRequestApprovedByItsOwnerAsync();
        var (op, operatorProblems, operatorContext) = await NewPageAsync();
        await using var _p = operatorContext;
        await op.SetViewportSizeAsync(1280, 900);
        await SignInAsync(op, "operator@demo.opendata.local", "/console/inbox");
        var second = op.Locator($"article[data-inbox-request='{sensitive}'][data-stage='platform']");
        await Expect(second.Locator("[data-risk-for]")).ToBeVisibleAsync();
        await Expect(second.Locator("[data-owner-approved]")).ToBeVisibleAsync();
        await CheckAxeAsync(op, "zh-CN operator's inbox with a second stage", operatorProblems);
        await second.GetByLabel("理由").FillAsync("平台复核：用途与范围相符");
        await second.GetByRole(AriaRole.Button, new() { Name = "批准", Exact = true }).ClickAsync();
        await Expect(op.Locator($"[data-decided='{sensitive}'][data-decided-status='approved']")).ToBeVisibleAsync();

        foreach (var problems in new[] { ownerProblems, consumerProblems, operatorProblems })
        {
            lock (problems)
            {
                Assert.True(problems.Count == 0, string.Join("\n", problems));
            }
        }
        await AssertCleanAsync(owner, ownerProblems);
        await AssertCleanAsync(consumer, consumerProblems);
        await AssertCleanAsync(op, operatorProblems);
    }

    /// <summary>Through the API: the owner publishes a sensitive dataset, the consumer asks for it, the owner approves its stage.</summary>
    private async Task<string> SensitiveRequestApprovedByItsOwnerAsync()
    {
        var dataset = $"story-l3-{Guid.NewGuid():N}"[..24];
        using var api = new HttpClient { BaseAddress = browser.Server.BaseAddress };
        var ownerToken = await TokenAsync(api, "demo-owner-app", "demo-owner-secret");
        var consumerToken = await TokenAsync(api, "demo-consumer-app", "demo-consumer-secret");
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, HttpContent content)
        {
            using var message = new HttpRequestMessage(method, path) { Content = content };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await api.SendAsync(message);
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response;
        }
        await SendAsync(HttpMethod.Post, "/v1/datasets", ownerToken, JsonContent.Create(new
        {
            id = dataset, title = "困难家庭救助明细（故事测试）", description = "敏感数据，需平台复核", theme = "public-services", classification = "sensitive",
            license = "CC-BY-4.0", updateFrequency = "monthly",
            columns = new object[] { new { name = "district", type = "string" }, new { name = "amount", type = "integer" } },
        }));
        var rows = "district,amount\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"{(i % 2 == 0 ? "海曙区" : "江北区")},{500 + i}\n"));
        var job = (await SendAsync(HttpMethod.Post, $"/v1/datasets/{dataset}/versions", ownerToken, new StringContent(rows, Encoding.UTF8, "text/csv"))).Headers.Location!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, job);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ownerToken);
            using var status = JsonDocument.Parse(await (await api.SendAsync(message)).Content.ReadAsStringAsync());
            var state = status.RootElement.GetProperty("status").GetString();
            if (state == "succeeded")
            {
                break;
            }
            Assert.True(state is "queued" or "running" && DateTime.UtcNow < deadline, $"ingestion: {state}");
            await Task.Delay(200);
        }
        var asked = await SendAsync(HttpMethod.Post, "/v1/access-requests", consumerToken,
            JsonContent.Create(new { datasetId = dataset, purpose = "救助资金的区域分布研究", durationDays = 30 }));
        using var created = JsonDocument.Parse(await asked.Content.ReadAsStringAsync());
        var request = created.RootElement.GetProperty("id").GetString()!;
        using var decided = JsonDocument.Parse(await (await SendAsync(HttpMethod.Post, $"/v1/access-requests/{request}/decision", ownerToken,
            JsonContent.Create(new { decision = "approve", reason = "用途正当，数据源单位同意" }))).Content.ReadAsStringAsync());
        Assert.Equal("owner_approved", decided.RootElement.GetProperty("status").GetString());
        return request;
    }
}
