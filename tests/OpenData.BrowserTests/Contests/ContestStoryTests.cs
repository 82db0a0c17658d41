using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using OpenData.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Contests;

/// <summary>
/// A contest in Chromium, on a server of its own whose clock the test moves forward (so a deadline passes without waiting): the
/// demo operator creates the contest with the organiser's form; once registration opens, the demo developer registers a team,
/// sees its sandbox credentials once and submits the app with a PDF; after the deadline the operator names the demo owner a judge,
/// who scores the entry blind; the operator publishes and the showcase shows the winner. The contest's pages pass axe in both
/// languages and are kept as screenshots.
/// </summary>
public sealed class ContestStoryTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private StoryPages Pages => new(browser, output);

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task A_team_registers_and_submits_a_judge_scores_the_organiser_publishes_and_the_showcase_shows_the_winner()
    {
        var id = "story-" + Guid.NewGuid().ToString("N")[..8];
        // The contest opens a day from now (China Standard Time, as the form takes it).
        var opens = browser.Clock.GetUtcNow().AddDays(1);
        string Local(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

        // The organiser creates it with the form.
        var (organiser, organiserProblems, organiserContext) = await Pages.NewPageAsync();
        await using (organiserContext)
        {
            await StoryPages.SignInAsync(organiser, "operator@demo.opendata.local", "/console/contests");
            await organiser.GetByRole(AriaRole.Link, new() { Name = "创建大赛" }).ClickAsync();
            await organiser.GetByLabel("标识").FillAsync(id);
            await organiser.GetByLabel("名称（中文）").FillAsync("宁波数据开放创新应用大赛（浏览器）");
            await organiser.GetByLabel("名称（英文）").FillAsync("Ningbo open data contest (browser)");
            await organiser.GetByLabel("简介（中文）").FillAsync("用空气质量数据做出便民应用。");
            await organiser.GetByLabel("大赛数据集").FillAsync("ningbo-air-quality-daily");
            await organiser.GetByLabel("赛道").FillAsync("应用创新");
            await organiser.GetByLabel("报名开始").FillAsync(Local(opens));
            await organiser.GetByLabel("报名截止").FillAsync(Local(opens.AddDays(2)));
            await organiser.GetByLabel("作品提交截止").FillAsync(Local(opens.AddDays(4)));
            await organiser.GetByLabel("大赛结束").FillAsync(Local(opens.AddDays(10)));
            await organiser.GetByRole(AriaRole.Button, new() { Name = "创建大赛" }).ClickAsync();
            await Expect(organiser.Locator("[data-done='created']")).ToBeVisibleAsync();
            await Expect(organiser.Locator($"[data-organise='{id}']")).ToHaveAttributeAsync("data-phase", "upcoming");
            await Pages.AssertCleanAsync(organiser, organiserProblems);
        }

        // A day later registration is open (the sign-in cookies of before have expired on the server's clock).
        browser.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
        var (page, problems, context) = await Pages.NewPageAsync();
        await using var _ = context;
        await StoryPages.SignInAsync(page, "developer@demo.opendata.local", "/contests");
        await page.GetByRole(AriaRole.Link, new() { Name = "宁波数据开放创新应用大赛（浏览器）" }).ClickAsync();
        await Expect(page.Locator("[data-step='registration']")).ToHaveAttributeAsync("aria-current", "step");
        await page.GetByRole(AriaRole.Link, new() { Name = "报名组队" }).ClickAsync();
        await page.GetByLabel("团队名称").FillAsync("空气侦探");
        await page.GetByLabel("其他成员的邮箱").FillAsync("teammate@example.test");
        await page.GetByLabel("赛道").SelectOptionAsync("应用创新");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "参赛规则与条款 条款第 1 版" })).ToContainTextAsync("sandbox");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交报名" }).ClickAsync();
        // Without accepting the terms the registration is refused beside the checkbox.
        await Expect(page.Locator("[data-field-error='acceptTerms']")).ToBeVisibleAsync();
        await page.GetByLabel("我代表团队接受以上参赛规则与条款").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "提交报名" }).ClickAsync();
        await Expect(page.Locator("[data-team-status='approved']")).ToBeVisibleAsync();
        var secret = (await page.Locator("[data-client-secret]").TextContentAsync())!.Trim();
        Assert.StartsWith("sbx_", secret, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "前往团队页面" }).ClickAsync();
        await Expect(page.Locator("[data-client-secret]")).ToHaveCountAsync(0);

        // The submission, with its PDF.
        await page.GetByLabel("作品名称").FillAsync("空气早知道");
        await page.GetByLabel("作品简介").FillAsync("按街道提醒敏感人群空气质量变化。");
        await page.GetByLabel("演示地址").FillAsync("https://demo.example.org/air");
        await page.GetByLabel("ningbo-air-quality-daily").CheckAsync();
        await page.GetByLabel("PDF 材料（演示文稿或报告）").SetInputFilesAsync(new FilePayload { Name = "slides.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await page.GetByRole(AriaRole.Button, new() { Name = "提交作品" }).ClickAsync();
        await Expect(page.Locator("[data-done='submitted']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-version='1']")).ToHaveAttributeAsync("data-current", "true");
        await Expect(page.Locator("[data-version='1']").GetByRole(AriaRole.Link, new() { Name = "slides.pdf" })).ToBeVisibleAsync();

        var team = new Uri(page.Url).AbsolutePath;
        await Pages.ScanInBothLanguagesAsync(page, problems, [("/contests", "contests"), ($"/contests/{id}", "contest"), ($"/console/contests/{id}/register", "contest-register"),
            (team, "contest-team")]);
        await Pages.AssertCleanAsync(page, problems);

        // Four days on, submissions are closed: the organiser names a judge of another organisation.
        browser.Clock.Advance(TimeSpan.FromDays(4));
        var (organiserAgain, againProblems, againContext) = await Pages.NewPageAsync();
        await using (againContext)
        {
            await StoryPages.SignInAsync(organiserAgain, "operator@demo.opendata.local", $"/console/contests/{id}/organise");
            await organiserAgain.GetByRole(AriaRole.Link, new() { Name = "评审与结果" }).ClickAsync();
            await organiserAgain.GetByLabel("评委的登录邮箱").FillAsync("owner@demo.opendata.local");
            await organiserAgain.GetByRole(AriaRole.Button, new() { Name = "指定评委" }).ClickAsync();
            await Expect(organiserAgain.Locator("[data-done='judge-added']")).ToBeVisibleAsync();
            await Expect(organiserAgain.Locator("[data-judge='owner@demo.opendata.local'] [data-sees]")).ToHaveAttributeAsync("data-sees", "1");
            await Pages.AssertCleanAsync(organiserAgain, againProblems);
        }

        // The judge scores the entry, blind: its code and what was submitted, no team or organisation.
        var (judge, judgeProblems, judgeContext) = await Pages.NewPageAsync();
        await using (judgeContext)
        {
            await StoryPages.SignInAsync(judge, "owner@demo.opendata.local", "/console/contests");
            await judge.GetByRole(AriaRole.Link, new() { Name = "宁波数据开放创新应用大赛（浏览器）" }).First.ClickAsync();
            var entry = judge.Locator("[data-entry]");
            await Expect(entry).ToHaveCountAsync(1);
            await Expect(entry).ToContainTextAsync("空气早知道");
            await Expect(judge.Locator("main")).Not.ToContainTextAsync("空气侦探");
            await Expect(judge.Locator("main")).Not.ToContainTextAsync("demo-consumer");
            foreach (var (criterion, score) in new[] { ("innovation", "9"), ("public value", "8"), ("use of data", "9"), ("execution", "7") })
            {
                await entry.GetByLabel(criterion + "（0–10）").FillAsync(score);
            }
            await entry.GetByLabel("评语（必填）").FillAsync("面向敏感人群，数据用得准确。");
            await entry.GetByRole(AriaRole.Button, new() { Name = "提交评分" }).ClickAsync();
            await Expect(judge.Locator("[data-done='scored']")).ToBeVisibleAsync();
            await Expect(judge.Locator("[data-entry]")).ToHaveAttributeAsync("data-scored", "true");
            await Pages.ScanInBothLanguagesAsync(judge, judgeProblems, [($"/console/contests/{id}/judge", "contest-judge")]);
            await Expect(judge.Locator("main")).Not.ToContainTextAsync("空气侦探");
            await Pages.AssertCleanAsync(judge, judgeProblems);
        }

        // The organiser publishes the results (first prize proposed for the entry ranked first); the showcase shows the winner.
        var (publisher, publisherProblems, publisherContext) = await Pages.NewPageAsync();
        await using (publisherContext)
        {
            await StoryPages.SignInAsync(publisher, "operator@demo.opendata.local", $"/console/contests/{id}/judging");
            await Expect(publisher.GetByLabel("空气侦探 的奖项")).ToHaveValueAsync("一等奖");
            await publisher.GetByText("公布结果", new() { Exact = true }).ClickAsync();
            await publisher.GetByRole(AriaRole.Button, new() { Name = "确定公布" }).ClickAsync();
            await Expect(publisher.Locator("[data-done='published']")).ToBeVisibleAsync();
            await publisher.GetByRole(AriaRole.Link, new() { Name = "获奖作品展示" }).First.ClickAsync();
            var winner = publisher.Locator("[data-winner='空气侦探']");
            await Expect(winner).ToBeVisibleAsync();
            await Expect(winner.Locator("[data-award]")).ToHaveTextAsync("一等奖");
            await Expect(winner.GetByRole(AriaRole.Link, new() { Name = "宁波市空气质量日报" })).ToBeVisibleAsync();
            await Expect(winner).ToHaveAttributeAsync("data-live", "false");
            await Pages.ScanInBothLanguagesAsync(publisher, publisherProblems, [($"/contests/{id}/leaderboard", "contest-leaderboard"), ($"/contests/{id}/showcase", "contest-showcase"),
                ($"/console/contests/{id}/judging", "contest-judging"), ($"/console/contests/{id}/organise", "contest-organise")]);
            await Pages.AssertCleanAsync(publisher, publisherProblems);
        }
    }
}
