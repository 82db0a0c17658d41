using System.Globalization;
using System.Text;

namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>Fixed-shape masks: what stays visible, then a run of <c>*</c> that does not depend on the value's length (<c>王**</c>, <c>138****5678</c>).</summary>
internal static class Masking
{
    /// <summary>The run of <c>*</c> when the policy names none: 2 when fewer than 4 characters stay visible (<c>王**</c>), 4 otherwise (<c>138****5678</c>, <c>****0123</c>).</summary>
    public static int DefaultStars(int keepFirst, int keepLast) => keepFirst + keepLast < 4 ? 2 : 4;

    /// <summary>
    /// The first <paramref name="keepFirst"/> and last <paramref name="keepLast"/> characters (text elements, so a CJK character
    /// outside the BMP or a letter with its accent counts once) around a fixed run of <paramref name="stars"/> <c>*</c>
    /// (<see cref="DefaultStars"/> when null). Every non-empty value gives the same shape, keepFirst + stars + keepLast elements,
    /// so the mask never tells a value's length: a value too short to keep both shows at most half of itself, the start first,
    /// and <c>*</c> fills the rest (<c>12345</c> with 3 and 4 gives <c>12*********</c>). The empty value stays empty.
    /// </summary>
    public static string Mask(string value, int keepFirst, int keepLast, int? stars = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegative(keepFirst);
        ArgumentOutOfRangeException.ThrowIfNegative(keepLast);
        var run = stars ?? DefaultStars(keepFirst, keepLast);
        ArgumentOutOfRangeException.ThrowIfNegative(run);
        if (value.Length == 0)
        {
            return value;
        }
        var simple = IsOneCharPerElement(value);
        var length = simple ? value.Length : new StringInfo(value).LengthInTextElements;
        var (first, last) = (keepFirst, keepLast);
        if (first + last >= length)
        {
            var visible = length / 2;
            first = Math.Min(first, visible);
            last = Math.Min(last, visible - first);
        }
        // What a short value cannot show is drawn as * too, so the shape stays keepFirst + stars + keepLast.
        var hidden = run + (keepFirst - first) + (keepLast - last);
        if (simple)
        {
            // One allocation a masked cell: this runs for every masked name and phone of every page.
            return string.Create(first + hidden + last, (value, first, hidden, last), static (span, s) =>
            {
                s.value.AsSpan(0, s.first).CopyTo(span);
                span.Slice(s.first, s.hidden).Fill('*');
                s.value.AsSpan(s.value.Length - s.last).CopyTo(span[(s.first + s.hidden)..]);
            });
        }
        var elements = new List<string>(length);
        var e = StringInfo.GetTextElementEnumerator(value);
        while (e.MoveNext())
        {
            elements.Add(e.GetTextElement());
        }
        var builder = new StringBuilder(value.Length + hidden);
        for (var i = 0; i < first; i++)
        {
            builder.Append(elements[i]);
        }
        builder.Append('*', hidden);
        for (var i = length - last; i < length; i++)
        {
            builder.Append(elements[i]);
        }
        return builder.ToString();
    }

    /// <summary><c>wang.wei@example.org</c> → <c>w***@example.org</c> whatever the mailbox's length; text without an at-sign is masked the same way, <c>n***</c>.</summary>
    public static string MaskEmail(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.LastIndexOf('@');
        if (at <= 0)
        {
            return Mask(value, 1, 0, 3);
        }
        return Mask(value[..at], 1, 0, 3) + value[at..];
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
