using System.Globalization;
using System.Text;

namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>Format-preserving masks: characters become <c>*</c> one for one, so the shape of the value stays (<c>王**</c>, <c>138****5678</c>).</summary>
public static class Masking
{
    /// <summary>
    /// Keeps the first <paramref name="keepFirst"/> and last <paramref name="keepLast"/> characters (text elements, so a CJK
    /// character outside the BMP or a letter with its accent counts once). When the value is too short for both, at most half of it stays visible,
    /// the start first: <c>12345</c> with 3 and 4 gives <c>12***</c>.
    /// </summary>
    public static string Mask(string value, int keepFirst, int keepLast)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return value;
        }
        var simple = IsOneCharPerElement(value);
        var length = simple ? value.Length : new StringInfo(value).LengthInTextElements;
        if (keepFirst + keepLast >= length)
        {
            var visible = length / 2;
            keepFirst = Math.Min(keepFirst, visible);
            keepLast = Math.Min(keepLast, visible - keepFirst);
        }
        if (simple)
        {
            return string.Create(value.Length, (value, keepFirst, keepLast), static (span, state) =>
            {
                state.value.AsSpan().CopyTo(span);
                span[state.keepFirst..(span.Length - state.keepLast)].Fill('*');
            });
        }
        var builder = new StringBuilder(value.Length);
        var elements = StringInfo.GetTextElementEnumerator(value);
        var index = 0;
        while (elements.MoveNext())
        {
            builder.Append(index < keepFirst || index >= length - keepLast ? elements.GetTextElement() : "*");
            index++;
        }
        return builder.ToString();
    }

    /// <summary><c>wang.wei@example.org</c> → <c>w*******@example.org</c>; text without an at-sign is masked keeping its first character.</summary>
    public static string MaskEmail(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.LastIndexOf('@');
        if (at <= 0)
        {
            return Mask(value, 1, 0);
        }
        return Mask(value[..at], 1, 0) + value[at..];
    }

    /// <summary>True when every character is a text element of its own: no surrogate pairs, combining marks or CR LF.</summary>
    private static bool IsOneCharPerElement(string value)
    {
        foreach (var c in value)
        {
            if (c == '\r' || char.IsSurrogate(c)
                || (c >= '\u0300' && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                    or UnicodeCategory.EnclosingMark or UnicodeCategory.Format))
            {
                return false;
            }
        }
        return true;
    }
}
