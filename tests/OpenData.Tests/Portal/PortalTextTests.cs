using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenData.Platform.Desensitisation;
using OpenData.Portal;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Portal;

/// <summary>
/// Every UI string of the portal exists in English (the neutral resources) and in Chinese (zh-Hans, serving zh-CN), with the
/// same placeholders; every key a page names exists; and the localizer the pages use finds them for both cultures.
/// </summary>
public sealed partial class PortalTextTests
{
    private static readonly ResourceManager Resources = new("OpenData.Portal.Resources.PortalText", typeof(PortalText).Assembly);

    private static Dictionary<string, string> Strings(string culture) =>
        Resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    [Fact]
    public void Both_languages_have_the_same_keys_each_with_a_text_and_the_same_placeholders()
    {
        var english = Strings(CultureInfo.InvariantCulture.Name);
        var chinese = Strings("zh-Hans");
        Assert.True(english.Count > 100, $"only {english.Count} English strings: are the neutral resources embedded?");
        var missingInChinese = english.Keys.Except(chinese.Keys).ToList();
        var missingInEnglish = chinese.Keys.Except(english.Keys).ToList();
        Assert.True(missingInChinese.Count == 0, "missing in PortalText.zh-Hans.resx: " + string.Join(", ", missingInChinese));
        Assert.True(missingInEnglish.Count == 0, "missing in PortalText.resx: " + string.Join(", ", missingInEnglish));
        foreach (var (key, text) in english)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{key} is empty in English");
            Assert.False(string.IsNullOrWhiteSpace(chinese[key]), $"{key} is empty in Chinese");
            Assert.True(Placeholders(text).SetEquals(Placeholders(chinese[key])),
                $"{key}: placeholders differ: '{text}' and '{chinese[key]}'");
        }
    }

    [Fact]
    public void Every_key_a_page_names_exists_and_every_value_shown_by_name_has_a_text()
    {
        var pages = Path.Combine(RepositoryRoot.Path, "portal", "OpenData.Portal", "Pages");
        var named = Directory.GetFiles(pages, "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(f => NamedKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .ToList();
        Assert.True(named.Count > 50, $"found only {named.Count} keys in the pages: did the pattern stop matching?");
        // Keys the pages build from a prefix and a value: each value the platform can produce needs a text.
        var built = new[] { "open", "restricted", "sensitive" }.Select(c => "Classification." + c)
            .Concat(Enum.GetNames<DatasetAccess>().Select(a => "Access." + a))
            .Concat(Enum.GetNames<ColumnVisibility>().Select(v => "Visibility." + v.ToLowerInvariant()))
            .Concat(["VersionStatus.published", "VersionStatus.retired", "Format.Date", "Format.DateTime"])
            .Concat(OpenData.Portal.Guide.ErrorGuide.Modules.Select(m => "Guide.Errors.Module." + m.Name))
            .Concat(OpenData.Portal.Guide.QueryExamples.All.Select(e => "Guide.Query.Example." + e.Key))
            .Concat(OpenData.Platform.Webhooks.WebhookEvents.All.Select(e => "Event." + e))
            .Concat(new[] { "pending", "sending", "retrying", "delivered", "failed", "dropped" }.Select(s => "Delivery.Status." + s))
            .Concat(typeof(OpenData.Platform.Webhooks.DeliveryFailure).GetFields().Select(f => "Delivery.Error." + (string)f.GetValue(null)!))
            .Concat(["Field.Webhook.url", "Field.Webhook.urlPrivate"])
            .Concat(Enum.GetNames<OpenData.Platform.Desensitisation.TransformKind>().Where(k => k != "Generalise").Select(k => "Transform." + k))
            .Concat(Enum.GetNames<OpenData.Platform.Desensitisation.GeneraliseTo>().Select(t => "Transform.Generalise." + t))
            .Concat(Enum.GetNames<OpenData.Platform.Desensitisation.AccessLevel>().Select(l => "Level." + l))
            .Concat(["Transform.MaskEmail", "Suspicion.found", "Suspicion.suggested", "Suspicion.masked", "Suspicion.untagged"])
            .Concat(new[] { "queued", "generating", "ready", "withheld", "failed" }.SelectMany(s => new[] { "Twin.Status." + s, "Twin.State." + s }))
            .Concat(["Environment.live", "Environment.sandbox"])
            .Concat(OpenData.Sandbox.Contests.ContestPhases.All.SelectMany(p => new[] { "Contest.Phase." + p, "Contest.PhaseMeans." + p }))
            .Concat(OpenData.Sandbox.Contests.ContestPhases.All.Where(p => p != "registration").Select(p => "Contest.RegistrationNot." + p))
            .Concat(["Contest.Approval.auto", "Contest.Approval.manual", "ContestForm.Visibility.public", "ContestForm.Visibility.invite",
                "Organise.Done.created", "Organise.Done.saved", "Organise.Done.decided", "Organise.TeamsIntro.auto", "Organise.TeamsIntro.manual",
                "Team.Done.updated", "Team.Done.submitted"])
            .Concat(new[] { "pending", "approved", "rejected" }.SelectMany(s => new[] { "Team.Status." + s, "Team.StatusMeans." + s }))
            .Concat(new[] { typeof(OpenData.Sandbox.Contests.ContestErrors), typeof(OpenData.Sandbox.Contests.TeamErrors), typeof(OpenData.Sandbox.Contests.SubmissionErrors),
                    typeof(OpenData.Sandbox.Contests.JudgingErrors), typeof(OpenData.Sandbox.Contests.ResultErrors) }
                .SelectMany(t => t.GetFields()).Select(f => "Refusal." + (string)f.GetValue(null)!))
            .Concat(new[] { "judge-added", "judge-changed", "judge-removed", "published" }.Select(d => "Judging.Done." + d))
            .Concat(["Judging.Award.1", "Judging.Award.2", "Judging.Award.3"])
            .Concat(new[] { "active", "expired", "revoked" }.Select(s => "GrantStatus." + s))
            // The marketplace's values shown by name, and the resource keys its forms' fields name (Shared/_MarketField).
            .Concat(OpenData.Platform.Marketplace.Products.ProductKind.All.Select(k => "Market.Kind." + k))
            .Concat(OpenData.Platform.Marketplace.Products.PriceModel.All.SelectMany(m => new[] { "Market.Model." + m, "Market.Price." + m }))
            .Concat(new[] { "draft", "published", "retired" }.Select(s => "Market.Status." + s))
            .Concat(["Market.Approval.auto", "Market.Approval.manual"])
            .Concat(new[] { "pending", "active", "rejected", "cancelled", "ended" }.Select(s => "Subscription.Status." + s))
            .Concat(new[] { "subscribed", "changed", "cancelled" }.Select(d => "Subscriptions.Done." + d))
            .Concat(new[] { "created", "published", "retired" }.Select(d => "Products.Done." + d))
            .Concat(new[] { "subscriber", "provider", "operator" }.Select(r => "Statements.Role." + r))
            .Concat(typeof(OpenData.Platform.Marketplace.MarketplaceErrors).GetFields().Select(f => "Refusal." + (string)f.GetValue(null)!))
            .Concat(Directory.GetFiles(pages, "*.cshtml", SearchOption.AllDirectories)
                .SelectMany(f => MarketFieldKey().Matches(File.ReadAllText(f)).SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value }))
                .Where(k => k.Length > 0));
        var english = Strings(CultureInfo.InvariantCulture.Name);
        var missing = named.Where(n => !english.ContainsKey(n.Key)).Select(n => $"{n.Key} ({n.File})")
            .Concat(built.Where(k => !english.ContainsKey(k)))
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, "keys without a text: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("zh-CN", "数据目录")]
    [InlineData("en", "Catalogue")]
    public void The_pages_localizer_finds_the_texts_for_each_culture(string culture, string catalogue)
    {
        // The factory as the host builds it, with no resources path: the portal's assembly says where its resources are.
        var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
        var text = factory.Create(typeof(PortalText));
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            var found = text["Nav.Catalogue"];
            Assert.False(found.ResourceNotFound, $"Nav.Catalogue not found for {culture} (searched {found.SearchedLocation})");
            Assert.Equal(catalogue, found.Value);
            foreach (var key in Strings(CultureInfo.InvariantCulture.Name).Keys)
            {
                Assert.False(text[key].ResourceNotFound, $"{key} not found for {culture}");
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    /// <summary>The label and help keys of a marketplace form field: <c>new MarketField("name", "Label.Key", …, Help: "Help.Key")</c>.</summary>
    [GeneratedRegex(@"new MarketField\(""[A-Za-z]+"", ""([A-Za-z.]+)""(?:[^\n]*?Help: ""([A-Za-z.]+)"")?")]
    private static partial Regex MarketFieldKey();

    [GeneratedRegex(@"T\[""([A-Za-z][A-Za-z.]*[A-Za-z])""")]
    private static partial Regex NamedKey();
}
