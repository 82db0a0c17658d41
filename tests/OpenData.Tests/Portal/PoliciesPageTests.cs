using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// The operators' read-only view of the policy files in force: each file with where it was loaded from and the SHA-256 of its
/// bytes, the levels and their approvers, the tags and their transforms per access level, the plans and their limits, and the
/// raw YAML in a focusable region; anyone but an operator is refused.
/// </summary>
public sealed class PoliciesPageTests
{
    [Fact]
    public async Task Operators_see_each_policy_file_with_its_checksum_and_where_it_was_loaded_from_rendered_and_raw()
    {
        // A folder of its own, one file edited, so the page can only be showing what this host read.
        var folder = TestPolicies.Folder(editDesensitisation: text => text + "\n# edited for the policies page test\n");
        await using var host = await PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?> { ["OpenData:Policies:Directory"] = folder });
        using var op = await ConsolePeople.OperatorAsync(host, "policies-op@example.test");
        var page = await op.GetAsync("/console/policies");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("aria-current=\"page\" href=\"/console/policies\"", html, StringComparison.Ordinal);

        foreach (var name in new[] { "classification.yaml", "desensitisation.yaml", "plans.yaml" })
        {
            var path = Path.GetFullPath(Path.Combine(folder, name));
            var row = Regex.Match(html, $"<tr data-policy-file=\"{Regex.Escape(name)}\" data-sha256=\"([0-9a-f]{{64}})\">(.*?)</tr>", RegexOptions.Singleline);
            Assert.True(row.Success, $"no row for {name}");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))), row.Groups[1].Value);
            Assert.Contains($"data-policy-path>{WebUtility.HtmlEncode(path)}<", row.Groups[2].Value, StringComparison.Ordinal);
            Assert.Matches($"<pre class=\"policy-yaml[^\"]*\" tabindex=\"0\" role=\"region\" aria-labelledby=\"[^\"]+\" lang=\"en\" data-raw=\"{Regex.Escape(name)}\">", html);
        }
        var shipped = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(TestPolicies.Shipped, "desensitisation.yaml"))));
        Assert.DoesNotContain(shipped, html, StringComparison.Ordinal);
        Assert.Contains("# edited for the policies page test", html, StringComparison.Ordinal);

        // Readable: levels and approvers, tags per access level, plans and limits.
        Assert.Contains("data-level=\"sensitive\" data-approvers=\"owner,platform\"", html, StringComparison.Ordinal);
        Assert.Contains("数源单位 → 平台安全审核", html, StringComparison.Ordinal);
        Assert.Contains("data-level=\"open\" data-approvers=\"\"", html, StringComparison.Ordinal);
        var name1 = Regex.Match(html, "<tr data-tag=\"pii.name\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("data-at=\"open\">掩码，保留前 1 位和后 0 位<", name1, StringComparison.Ordinal);
        Assert.Contains("data-at=\"granted\">按原值显示<", name1, StringComparison.Ordinal);
        Assert.Contains("data-at=\"sandbox\">合成的虚构值<", name1, StringComparison.Ordinal);
        Assert.Contains("data-at=\"granted\">假名化", Regex.Match(html, "<tr data-tag=\"pii.id_card\">(.*?)</tr>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
        Assert.Matches("(?s)<tr data-tag=\"pii.address\">.*?data-quasi.*?泛化到区县", html);
        Assert.Matches("(?s)<tr data-plan=\"operator\">.*?不限", html);
        Assert.Contains("data-plan=\"free\"", html, StringComparison.Ordinal);

        // In English too.
        await ConsolePeople.EnglishAsync(op, html);
        var english = WebUtility.HtmlDecode(await op.GetStringAsync("/console/policies"));
        Assert.Contains("Masked, keeping the first 1 and last 0 characters", english, StringComparison.Ordinal);
        Assert.Contains("the dataset's owner → the platform's security review", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Owners_and_consumers_are_refused_the_operators_pages()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        Assert.Equal(HttpStatusCode.OK, (await AccessScenarios.Consumer(host, "outsider").GetAsync("/v1/me")).StatusCode);
        using var owner = await ConsolePeople.SignInAsync(host, AccessScenarios.RestrictedOwner, "admin", "policies-owner@example.test");
        using var consumer = await ConsolePeople.SignInAsync(host, "outsider", "admin", "policies-consumer@example.test");
        foreach (var person in new[] { owner, consumer })
        {
            var console = await person.GetStringAsync("/console");
            Assert.DoesNotContain("href=\"/console/policies\"", console, StringComparison.Ordinal);
            Assert.DoesNotContain("href=\"/console/figures\"", console, StringComparison.Ordinal);
            foreach (var path in new[] { "/console/policies", "/console/figures" })
            {
                var refused = await person.GetAsync(path);
                var html = await refused.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                Assert.Contains("只有平台运营人员可以查看此页面", html, StringComparison.Ordinal);
                Assert.DoesNotContain("data-sha256", html, StringComparison.Ordinal);
                Assert.DoesNotContain("data-figures", html, StringComparison.Ordinal);
            }
        }
        await ConsolePeople.EnglishAsync(owner, await owner.GetStringAsync("/console"));
        Assert.Contains("Only the platform's operators see this page.", WebUtility.HtmlDecode(await (await owner.GetAsync("/console/policies")).Content.ReadAsStringAsync()),
            StringComparison.Ordinal);
    }
}
