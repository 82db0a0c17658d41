using System.Globalization;
using System.Text;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Analytics.Verification;

/// <summary>
/// The one normal form both sides of a comparison are put in, so trivial differences of writing do not answer no_match:
/// text is trimmed, NFKC-normalised (full-width digits, letters and spaces become their ASCII forms: ３３０２… is 3302…) and
/// upper-cased invariantly (codes and ID numbers: x and X are one check digit); an integer is its decimal digits.
/// A value that does not fit the column's type has no normal form and agrees with nothing.
/// </summary>
internal static class VerifiedValue
{
    /// <summary>Types a key column may have: those whose values compare exactly.</summary>
    public static bool IsKeyType(ColumnType type) => type is ColumnType.String or ColumnType.Integer;

    public static string? Normalise(ColumnType type, string? value)
    {
        if (value is null)
        {
            return null;
        }
        var text = value.Normalize(NormalizationForm.FormKC).Trim();
        if (type == ColumnType.Integer)
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number.ToString(CultureInfo.InvariantCulture)
                : null;
        }
        return text.ToUpperInvariant();
    }

    /// <summary>The normal form of a stored cell, read as the column's type.</summary>
    public static string? OfCell(ColumnType type, object? cell) => cell switch
    {
        null => null,
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => Normalise(type, Convert.ToString(cell, CultureInfo.InvariantCulture)),
    };

    /// <summary>The value to bind for a lookup on the column: the normal form, as the column stores it.</summary>
    public static object? Parameter(ColumnType type, string? normal) =>
        type == ColumnType.Integer && normal is not null ? long.Parse(normal, CultureInfo.InvariantCulture) : normal;
}
