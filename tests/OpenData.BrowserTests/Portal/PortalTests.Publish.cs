using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Portal;

/// <summary>
/// The owner's publish flow in Chromium: the demo owner declares a dataset on the publish form, uploads a CSV on the upload page
/// and watches the progress bar go through the upload's bytes (phase 1) and the job's streamed progress (phase 2) to 100 %, then
/// the data-quality report appears in the page; the publish, upload and report pages pass axe in both languages.
/// </summary>
public sealed partial class PortalTests
{
    [Fact]
    public async Task An_owner_publishes_a_dataset_uploads_a_csv_and_watches_the_progress_reach_the_quality_report()
    {
        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync("/account/signin?returnUrl=%2Fconsole%2Fpublish");
        await page.GetByLabel("E-mail").FillAsync("owner@demo.opendata.local");
        await page.GetByLabel("Password").FillAsync("demo-password-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/publish$"));

        // The tag table says what the policy does to a phone number without a grant.
        await Expect(page.Locator("tr[data-tag='pii.phone'] td[data-level='open'] [data-example]")).ToHaveTextAsync("138****1234");

        var id = $"browser-{Guid.NewGuid():N}"[..24];
        await page.GetByLabel("标识").FillAsync(id);
        await page.GetByLabel("标题（中文）").First.FillAsync("浏览器测试居民名单");
        await page.GetByLabel("标题（英文）").First.FillAsync("Browser test residents");
        await page.Locator("#field-theme").SelectOptionAsync("public-services");
        await page.GetByLabel("有条件开放").CheckAsync();
        await page.Locator("#field-updateFrequency").SelectOptionAsync("monthly");
        await page.Locator("[id='field-columns[0].name']").FillAsync("name");
        await page.Locator("[data-add-column]").ClickAsync();
        await Expect(page.Locator("[data-column-row]")).ToHaveCountAsync(2);
        await page.Locator("[id='field-columns[1].name']").FillAsync("phone");
        await page.Locator("[data-add-column]").ClickAsync();
        await page.Locator("[id='field-columns[2].name']").FillAsync("age");
        await page.Locator("[id='field-columns[2].type']").SelectOptionAsync("integer");
        await page.Locator("[data-create]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/console/datasets/{id}/upload$"));

        // Enough rows for the job to report progress on its way.
        var csv = new StringBuilder("name,phone,age\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"居民{i},138{i:D8},{(i % 7 == 0 ? "" : (20 + (i % 60)).ToString(CultureInfo.InvariantCulture))}\n");
        }
        await page.Locator("#field-file").SetInputFilesAsync(new FilePayload { Name = "residents.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await page.Locator("[data-upload-submit]").ClickAsync();

        var progress = page.Locator("[data-upload-progress]");
        await Expect(progress).ToHaveAttributeAsync("data-phase", "done", new() { Timeout = 60_000 });
        var phases = (await progress.GetAttributeAsync("data-phases-seen"))!.Split(' ');
        Assert.Equal(["upload", "ingest", "done"], phases);
        await Expect(progress).ToHaveAttributeAsync("data-percent", "100");
        await Expect(progress.Locator("progress")).ToHaveAttributeAsync("aria-valuenow", "100");
        var report = page.Locator("[data-upload-report] [data-ingestion]");
        await Expect(report).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(report.Locator("[data-rows-loaded]")).ToHaveAttributeAsync("data-rows-loaded", "20000");
        await Expect(report.Locator("[data-quality-column='phone'] [data-pii='pii.phone']")).ToBeVisibleAsync();
        await Expect(report.Locator("[data-quality-column='age']")).ToHaveAttributeAsync("data-empty", "2858");
        await CheckAxeAsync(page, "zh-CN upload page with its report", problems);
        var job = await report.GetAttributeAsync("data-ingestion");

        await ScanInBothLanguagesAsync(page, problems, [("/console/publish", "owner-publish"), ($"/console/datasets/{id}/upload", "owner-upload"),
            ($"/console/ingestions/{job}", "owner-quality-report")]);
        lock (problems)
        {
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        await AssertCleanAsync(page, problems);
    }
}
