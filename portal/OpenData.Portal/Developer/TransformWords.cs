using System.Globalization;
using Microsoft.Extensions.Localization;
using OpenData.Platform.Desensitisation;

namespace OpenData.Portal.Developer;

/// <summary>What a transform of <c>desensitisation.yaml</c> does to a value, in the page's language (<c>Transform.*</c> resources).</summary>
internal static class TransformWords
{
    public static string Of(TransformSpec spec, IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(text);
        return spec.Kind switch
        {
            TransformKind.Mask when spec.Email => text["Transform.MaskEmail"],
            TransformKind.Mask => text["Transform.Mask", spec.KeepFirst, spec.KeepLast],
            TransformKind.Generalise => spec.To switch
            {
                GeneraliseTo.Band => text["Transform.Generalise.Band", spec.Step.ToString(CultureInfo.CurrentCulture)],
                GeneraliseTo.Grid => text["Transform.Generalise.Grid", spec.Step.ToString(CultureInfo.CurrentCulture)],
                var to => text["Transform.Generalise." + to],
            },
            TransformKind.Constant => text["Transform.Constant", spec.Value ?? ""],
            var kind => text["Transform." + kind],
        };
    }

    /// <summary>Why a column is suspected, in words: the reasons the platform records (<c>found:mobile suggested:pii.phone</c>), each said.</summary>
    public static IReadOnlyList<string> Suspicion(string reasons, IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        ArgumentNullException.ThrowIfNull(text);
        return [.. reasons.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(reason =>
        {
            var colon = reason.IndexOf(':', StringComparison.Ordinal);
            var said = colon > 0 ? text["Suspicion." + reason[..colon], reason[(colon + 1)..]] : null;
            return said is null || said.ResourceNotFound ? reason : said.Value;
        }).Distinct()];
    }
}
