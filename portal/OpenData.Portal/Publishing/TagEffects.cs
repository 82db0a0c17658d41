using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Desensitisation.Transforms;

namespace OpenData.Portal.Publishing;

/// <summary>What one tag of the desensitisation policy does at one access level, with an example value run through the policy's transform.</summary>
internal sealed record LevelEffect(AccessLevel Level, TransformSpec Transform, string? Example);

/// <summary>A tag of <c>desensitisation.yaml</c> as the publish form explains it: the types it fits and its effect at each access level.</summary>
internal sealed record TagEffect(string Tag, string Description, IReadOnlyList<string> Types, bool QuasiIdentifier, string? Sample, IReadOnlyList<LevelEffect> Levels);

/// <summary>
/// The tag list of the publish form, derived from the policy in force: each tag, the column types it fits and, per access level,
/// its transform and an example value as that transform shows it. Only the example inputs are the portal's; what is done to
/// them is the policy's (the same masking and generalisation functions the read path applies).
/// </summary>
internal static class TagEffects
{
    // Made-up example inputs (never real people): one per tag the shipped policy knows; other tags take one by column type.
    private static readonly Dictionary<string, string> Samples = new(StringComparer.Ordinal)
    {
        ["pii.name"] = "王小明",
        ["pii.phone"] = "13812341234",
        ["pii.id_card"] = "330203199001011234",
        ["pii.address"] = "宁波市海曙区中山西路12号",
        ["pii.email"] = "wang@example.org",
        ["pii.bank_card"] = "6222021234567890123",
        ["geo.point"] = "29.8683,121.5440",
        ["date.birth"] = "1990-05-17",
        ["num.age"] = "37",
        ["person.gender"] = "女",
        ["geo.district"] = "海曙区",
    };

    public static IReadOnlyList<TagEffect> From(DesensitisationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Tags.Values.OrderBy(t => t.Tag, StringComparer.Ordinal).Select(rule =>
        {
            var sample = Samples.GetValueOrDefault(rule.Tag);
            var levels = new[] { AccessLevel.Open, AccessLevel.Granted, AccessLevel.Sandbox }
                .Select(level => new LevelEffect(level, rule.For(level), sample is null ? null : Apply(rule.For(level), sample)))
                .ToList();
            return new TagEffect(rule.Tag, rule.Description, rule.Types.Select(ColumnTypes.Name).Order(StringComparer.Ordinal).ToList(),
                rule.QuasiIdentifier, sample, levels);
        }).ToList();
    }

    /// <summary>The example as the transform shows it; null where no example value can be shown (hidden, tokens, made-up values).</summary>
    private static string? Apply(TransformSpec spec, string sample) => spec.Kind switch
    {
        TransformKind.Clear => sample,
        TransformKind.Mask => spec.Email ? Masking.MaskEmail(sample) : Masking.Mask(sample, spec.KeepFirst, spec.KeepLast, spec.Stars),
        TransformKind.Constant => spec.Value,
        TransformKind.Generalise => spec.To switch
        {
            GeneraliseTo.Year => Generalisation.Year(DateOnly.TryParse(sample, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : sample),
            GeneraliseTo.Month => Generalisation.Month(DateOnly.TryParse(sample, System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : sample),
            GeneraliseTo.Band => Generalisation.Band(sample, spec.Step),
            GeneraliseTo.Grid => Generalisation.Grid(sample, spec.Step),
            _ => Generalisation.District(sample),
        },
        _ => null,
    };
}
