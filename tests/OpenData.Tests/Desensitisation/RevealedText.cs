using System.Globalization;
using System.Text;

namespace OpenData.Tests.Desensitisation;

/// <summary>What a reader can still make of a text once width, script and grouping are ignored: the form leak checks compare.</summary>
public static class RevealedText
{
    /// <summary>NFKC-folded, every decimal digit as ASCII, separators dropped, letters upper-cased.</summary>
    public static string Of(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC);
        var result = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            var digit = CharUnicodeInfo.GetDecimalDigitValue(c);
            if (digit >= 0)
            {
                result.Append((char)('0' + digit));
            }
            else if (!IsSeparator(c))
            {
                result.Append(char.ToUpperInvariant(c));
            }
        }
        return result.ToString();
    }

    // Invisible format characters (zero-width space, soft hyphen) and the prolonged-sound marks Japanese IMEs type for a dash hide nothing either.
    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c) || c is '.' or '/' or '·' or '\u2212' or 'ー' or 'ｰ' || CharUnicodeInfo.GetUnicodeCategory(c) is
            UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.Format;
}
