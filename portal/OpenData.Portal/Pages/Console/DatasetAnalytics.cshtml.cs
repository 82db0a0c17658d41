using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using OpenData.Platform.Analytics.Aggregates;
using OpenData.Platform.Analytics.Verification;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;
using OpenData.Portal.Developer;

namespace OpenData.Portal.Pages.Console;

/// <summary>
/// "Usable but not visible" (可用不可见) settings of one of the owner's datasets: its aggregate access — whether callers without a
/// grant may aggregate it, by which columns, summing which numbers within which bounds, under which k, dominance, epsilon and daily
/// budget (<see cref="AggregateAccessSettings"/>, the rules and audit of <c>PUT /v1/datasets/{id}/aggregate-access</c>) — and its
/// verification product (<see cref="VerificationService.DefineAsync"/>, as <c>PUT /v1/datasets/{id}/verification</c>). For the
/// dataset's owner: 403 for a tenant that owns no data, 404 for a dataset that is not the tenant's; a change needs datasets:write.
/// </summary>
internal sealed class DatasetAnalyticsModel(CatalogueStore catalogue, DatasetDirectory directory, AggregateAccessSettings settings, VerificationService verification)
    : ConsolePageModel
{
    private const string AggregatesForm = "Aggregates";
    private const string VerificationForm = "Verification";

    public string DatasetId { get; private set; } = "";

    public DatasetRow? Dataset { get; private set; }

    public DatasetSchema? Schema { get; private set; }

    /// <summary>The settings in force (or the defaults, switched off).</summary>
    public AggregateAccess Access { get; private set; } = AggregateAccessSettings.Default;

    /// <summary>The verification defined, or null.</summary>
    public VerificationView? Verification { get; private set; }

    /// <summary>Why nothing is shown: 403 (a tenant that owns no data), 404 (not the tenant's dataset); else null.</summary>
    public int? Unavailable { get; private set; }

    /// <summary>Which form was just saved (<c>aggregates</c> or <c>verification</c>), for the page's confirmation.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    /// <summary>Which form was posted back refused (its fields keep what was typed), or null.</summary>
    public string? Refusing { get; private set; }

    [BindProperty]
    public bool Enabled { get; set; }

    [BindProperty]
    public string? K { get; set; }

    [BindProperty]
    public string? Epsilon { get; set; }

    [BindProperty]
    public string? DailyBudget { get; set; }

    [BindProperty]
    public string? Dominance { get; set; }

    [BindProperty]
    public List<string> Groupable { get; set; } = [];

    /// <summary>The bound of each number column that may be summed (blank: not summed).</summary>
    [BindProperty]
    public Dictionary<string, string> Bounds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The identifying key column (the first key).</summary>
    [BindProperty]
    public string? FirstKey { get; set; }

    [BindProperty]
    public List<string> OtherKeys { get; set; } = [];

    [BindProperty]
    public string? Answer { get; set; }

    public bool MayChange => Holds(Scopes.DatasetsWrite);

    /// <summary>Whether the dataset's rows need a grant (a verification only makes sense then).</summary>
    public bool Restricted => Dataset is not null && !string.Equals(Dataset.Classification, "open", StringComparison.OrdinalIgnoreCase);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAggregatesAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var k = Number(K, "k", errors);
        var epsilon = Number(Epsilon, "epsilon", errors);
        var budget = Number(DailyBudget, "dailyBudget", errors);
        var dominance = Number(Dominance, "dominance", errors);
        var bounds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (column, text) in Bounds)
        {
            if (Number(text, "bounds", errors) is { } bound)
            {
                bounds[column] = bound;
            }
        }
        if (k is { } whole && whole != Math.Floor(whole))
        {
            errors["k"] = [$"k is a whole number of contributors; it was {K}"];
        }
        var outcome = errors.Count > 0
            ? Refusal.Validation(errors)
            : await settings.SetAsync(Person.Principal, DatasetId, new AggregateAccessRequest(
                Enabled, k is null ? null : (int)k, epsilon, budget, dominance, Groupable.Distinct(StringComparer.Ordinal).ToList(), bounds), cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            Refusing = "aggregates";
            await LoadAsync(cancellationToken);
            return Refused(AggregatesForm, refusal);
        }
        return Redirect($"/console/datasets/{Uri.EscapeDataString(DatasetId)}/analytics?saved=aggregates#aggregates");
    }

    public async Task<IActionResult> OnPostVerificationAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }
        var keys = new List<string>();
        if (!string.IsNullOrWhiteSpace(FirstKey))
        {
            keys.Add(FirstKey);
        }
        keys.AddRange(OtherKeys.Where(k => !string.IsNullOrWhiteSpace(k) && k != FirstKey).Distinct(StringComparer.Ordinal));
        var outcome = await verification.DefineAsync(Person.Principal, DatasetId, new VerificationDefinition(keys, Answer), cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            Refusing = "verification";
            await LoadAsync(cancellationToken);
            return Refused(VerificationForm, refusal);
        }
        return Redirect($"/console/datasets/{Uri.EscapeDataString(DatasetId)}/analytics?saved=verification#verification");
    }

    /// <summary>A number typed in a field (blank: the default), or an error on the field.</summary>
    private static double? Number(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }
        errors[field] = [$"{field}: '{text}' is not a number (write it with a decimal point, e.g. 0.5)"];
        return null;
    }

    /// <summary>The dataset if it is the person's tenant's; otherwise the page's refusal (403 for a tenant that owns no data, else 404).</summary>
    private async Task<IActionResult?> FindAsync(string id, CancellationToken cancellationToken)
    {
        DatasetId = id;
        (Dataset, Unavailable) = await OwnedDatasetAsync(catalogue, id, cancellationToken);
        return Unavailable is null ? null : Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Schema = await directory.FindAsync(DatasetId, cancellationToken);
        Access = (await settings.GetAsync(Person.Principal, DatasetId, cancellationToken)).Value ?? AggregateAccessSettings.Default;
        Verification = (await verification.GetAsync(Person.Principal, DatasetId, cancellationToken)).Value;
        if (Refusing != "aggregates")
        {
            Enabled = Access.Enabled;
            K = Access.K.ToString(CultureInfo.InvariantCulture);
            Epsilon = Access.Epsilon.ToString(CultureInfo.InvariantCulture);
            DailyBudget = Access.DailyBudget.ToString(CultureInfo.InvariantCulture);
            Dominance = Access.Dominance.ToString(CultureInfo.InvariantCulture);
            Groupable = [.. Access.Groupable];
            Bounds = Access.Bounds.ToDictionary(b => b.Key, b => b.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        }
        if (Refusing != "verification" && Verification is { } defined)
        {
            FirstKey = defined.Keys[0];
            OtherKeys = [.. defined.Keys.Skip(1)];
            Answer = defined.Answer;
        }
    }
}
