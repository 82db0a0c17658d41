using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Common;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;
using OpenData.Platform.Policies;
using OpenData.Platform.Quotas;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// The policy files in force, for the platform's operators, read-only: each file the host read at start with where it came from
/// and the SHA-256 of its bytes (<see cref="PolicyFiles"/>), a readable rendering of what the host parsed (the classification
/// levels and their approvers; the tags and their transform at each access level; the plans and their limits) and the raw YAML.
/// Anyone else is refused (403).
/// </summary>
internal sealed class PoliciesModel(PolicyFiles files, ClassificationPolicy classification, DesensitisationPolicy desensitisation, PlanPolicy plans) : ConsolePageModel
{
    public IReadOnlyList<PolicyFile> Files => files.Items;

    public ClassificationPolicy Classification => classification;

    public DesensitisationPolicy Desensitisation => desensitisation;

    public PlanPolicy Plans => plans;

    /// <summary>Why nothing is shown (a person who is not an operator), or null.</summary>
    public Refusal? Refusal { get; private set; }

    public IActionResult OnGet()
    {
        if (!Holds(Scopes.PlatformAdmin))
        {
            Refusal = OperatorsOnly();
            Response.StatusCode = Refusal.Status;
        }
        return Page();
    }

    /// <summary>The refusal of an operator's page to anyone else.</summary>
    internal static Refusal OperatorsOnly() => Platform.Common.Refusal.Forbidden(CommonErrors.InsufficientScope, "this needs the platform:admin scope");

    /// <summary>A transform in words, with its parameters (as the tagging page says them).</summary>
    public static string Describe(TransformSpec spec, IStringLocalizer text) => TransformWords.Of(spec, text);

    /// <summary>A limit of a plan: the number, or "unlimited".</summary>
    public static string Limit(long? value, IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return value is { } n ? n.ToString("N0", CultureInfo.CurrentCulture) : text["Quota.Unlimited"];
    }
}
