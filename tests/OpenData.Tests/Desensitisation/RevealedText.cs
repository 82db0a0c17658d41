using System.Globalization;
using System.Text;

namespace OpenData.Tests.Desensitisation;

/// <summary>What a reader can still make of a text once width, script and grouping are ignored: the form leak checks compare.</summary>
public static class RevealedText
{
    private const string Numerals = "〇一二三四五六七八九";
    private const string Financial = "零壹贰叁肆伍陆柒捌玖";

    /// <summary>
    /// NFKC-folded, every decimal digit and Chinese numeral as ASCII, look-alike letters between digits as digits, ×/Х as X,
    /// separators dropped, letters upper-cased, and a spelt at-sign (AT) read as @ and a spelt DOT dropped like a dot.
    /// </summary>
    public static string Of(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC);
        var result = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            var digit = CharUnicodeInfo.GetDecimalDigitValue(c);
            var numeral = c == '幺' ? 1 : Math.Max(Numerals.IndexOf(c, StringComparison.Ordinal), Financial.IndexOf(c, StringComparison.Ordinal));
            if (digit >= 0 || numeral >= 0)
            {
                result.Append((char)('0' + Math.Max(digit, numeral)));
            }
            else if (!IsSeparator(c))
            {
                result.Append(c is '×' or 'Х' or 'х' ? 'X' : char.ToUpperInvariant(c));
            }
        }
        for (var i = 1; i + 1 < result.Length; i++)
        {
            if (result[i] is 'L' or 'I' or 'O' && char.IsAsciiDigit(result[i - 1]) && (char.IsAsciiDigit(result[i + 1]) || result[i + 1] is 'L' or 'I' or 'O'))
            {
                result[i] = result[i] == 'O' ? '0' : '1';
            }
        }
        return result.Replace("DOT", "", 0, result.Length).Replace("AT", "@").ToString();
    }

    // Invisible format characters (zero-width space, soft hyphen), the prolonged-sound marks Japanese IMEs type for a dash and
    // list punctuation between digit groups hide nothing either.
    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c) || c is '.' or '/' or '·' or '\u2212' or 'ー' or 'ｰ' or '，' or '、' or '：' or ':' or '~' or '|' or '+' or ',' or '。' or '～' or '｜'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.Format;
}
