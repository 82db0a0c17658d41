using static Microsoft.Playwright.Assertions;

namespace OpenData.BrowserTests.Portal;

/// <summary>
/// The audit, review, policy and figure pages (issue 15) in Chromium: the demo owner's audit of its data with the chain verified,
/// and the demo operator's platform audit, second-stage inbox, policies in force and figures (its charts drawn from their tables)
/// pass axe in both languages and are kept as screenshots.
/// </summary>
public sealed partial class PortalTests
{
    [Fact]
    public async Task The_audit_inbox_policies_and_figures_pages_pass_axe_in_both_languages()
    {
        // The owner's audit of its data: the chain is checked at the top.
        var (owner, ownerProblems, ownerContext) = await NewPageAsync();
        await using (ownerContext)
        {
            await owner.SetViewportSizeAsync(1280, 900);
            await SignInAsync(owner, "owner@demo.opendata.local", "/console/audit");
            await Expect(owner.Locator("[data-chain-status='ok']")).ToBeVisibleAsync();
            await ScanInBothLanguagesAsync(owner, ownerProblems, [("/console/audit", "owner-audit")]);
            await AssertCleanAsync(owner, ownerProblems);
        }

        var (page, problems, context) = await NewPageAsync();
        await using var _ = context;
        await page.SetViewportSizeAsync(1280, 900);
        await SignInAsync(page, "operator@demo.opendata.local", "/console/figures");
        // The day chart is drawn from the table beside it.
        await Expect(page.Locator("#figures-days-chart canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("table[data-figures='days'] tbody tr")).ToHaveCountAsync(30);
        await page.GotoAsync("/console/policies");
        await Expect(page.Locator("pre[data-raw='plans.yaml']")).ToHaveAttributeAsync("tabindex", "0");
        await ScanInBothLanguagesAsync(page, problems, [("/console/audit", "operator-audit"), ("/console/inbox", "operator-inbox"),
            ("/console/policies", "operator-policies"), ("/console/figures", "operator-figures")]);
        await AssertCleanAsync(page, problems);
    }
}
