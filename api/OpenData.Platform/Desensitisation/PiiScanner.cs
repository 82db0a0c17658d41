using System.Globalization;
using System.Runtime.InteropServices;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// Finds and masks ID-card, mobile and bank-card numbers and e-mail addresses anywhere in a text: inside free text, at its edges,
/// written with full-width or other Unicode digits, and with spaces, dashes or dots between digit groups.
/// </summary>
/// <remarks>
/// A number is a run of digit groups joined by at most three separator characters; any span of consecutive groups is a
/// candidate, the longest tried first. Groups are whole digit sequences, so a 12-digit division code is never taken for a
/// mobile number inside it.
/// Masks keep the first 3 and last 4 digits of a mobile (<c>138****5678</c>), of an ID card the first 3 and the last 4,
/// of a bank card the last 4, and of an e-mail address the mailbox's first character and the domain (<c>w***@example.org</c>).
/// After masking, the text is scanned again, and anything found then (leftover digits that joined into a new valid number)
/// is masked whole, so the answer never holds a valid number.
/// </remarks>
public static class PiiScanner
{
    private const int MaxGroups = 24;

    /// <summary>Masks every recognised value; <paramref name="counts"/> (one slot per <see cref="PiiKind"/>) grows by each hit. Null when nothing was found.</summary>
    public static string? Mask(string text, Span<int> counts)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MightHold(text))
        {
            return null;
        }
        char[]? buffer = null;
        var matches = new List<PiiMatch>();
        for (var pass = 0; pass < 8; pass++)
        {
            var current = buffer is null ? text.AsSpan() : buffer;
            matches.Clear();
            Find(current, matches);
            if (matches.Count == 0)
            {
                break;
            }
            buffer ??= text.ToCharArray();
            foreach (var match in matches)
            {
                if (pass == 0)
                {
                    counts[(int)match.Kind]++;
                }
                MaskMatch(buffer, match, whole: pass > 0);
            }
        }
        return buffer is null ? null : new string(buffer);
    }

    /// <summary>Every recognised value in <paramref name="text"/>, left to right, none overlapping.</summary>
    public static IReadOnlyList<PiiMatch> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = new List<PiiMatch>();
        if (MightHold(text))
        {
            Find(text.AsSpan(), matches);
        }
        return matches;
    }

    /// <summary>Cheap first look: a hit needs an at-sign or at least 11 digits.</summary>
    public static bool MightHold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = 0;
        foreach (var c in text)
        {
            if (c is >= '0' and <= '9')
            {
                digits++;
            }
            else if (c == '@' || c == '＠')
            {
                return true;
            }
            else if (c >= 0x80 && MayBeDigit(c) && char.IsDigit(c))
            {
                digits++;
            }
        }
        return digits >= 11;
    }

    /// <summary>
    /// False for the big blocks without decimal digits (CJK, kana, Hangul), so Chinese text skips the Unicode table lookup;
    /// other scripts' digits lie below U+3000, in U+A600–U+ABFF, or are the full-width ０–９.
    /// </summary>
    private static bool MayBeDigit(char c) => c < '\u3000' || c is >= '\uA600' and < '\uAC00' || c is >= '０' and <= '９';

    private static void Find(ReadOnlySpan<char> text, List<PiiMatch> matches)
    {
        // Addresses first: a number that is a mailbox (13812345678@163.com) is an e-mail address, not a mobile.
        FindEmails(text, matches);
        FindNumbers(text, matches);
        if (matches.Count > 1)
        {
            matches.Sort((a, b) => a.Start.CompareTo(b.Start));
        }
    }

    private static int Digit(char c) =>
        c is >= '0' and <= '9' ? c - '0' : c >= 0x80 ? CharUnicodeInfo.GetDecimalDigitValue(c) : -1;

    // Line breaks, invisible characters (zero-width space, soft hyphen) and the dash look-alikes IMEs type (―, ﹣, ー) split numbers too.
    private static bool IsSeparator(char c) => c is ' ' or '-' or '.' or '\t' or '\n' or '\r' or '\u00A0' or '\u3000' or '\u2009' or '\u202F' or '\u2002' or '\u2003'
        or '\u200B' or '\u00AD' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' or '\uFE63' or '\u30FC' or '\uFF70'
        or '－' or '．' or '·' or '_' or '/' or '(' or ')' or '（' or '）';

    private static bool IsCheckX(char c) => c is 'X' or 'x' or 'Ｘ' or 'ｘ';

    /// <summary>Digits from Start to End; when an ID-card check X follows (directly or after a separator), an ID ends at IdEnd.</summary>
    private readonly record struct Group(int Start, int End, int IdEnd)
    {
        public bool TrailingX => IdEnd > End;
    }

    private static void FindNumbers(ReadOnlySpan<char> text, List<PiiMatch> matches)
    {
        var groups = new List<Group>();
        var i = 0;
        while (i < text.Length)
        {
            if (Digit(text[i]) < 0)
            {
                i++;
                continue;
            }
            // A run: digit groups joined by short separator stretches.
            groups.Clear();
            var runEnd = i;
            while (true)
            {
                var start = runEnd;
                while (runEnd < text.Length && Digit(text[runEnd]) >= 0)
                {
                    runEnd++;
                }
                // Spelt out character by character (1 1 0 … 2 X), the check X sits after a separator like any other digit.
                var xAt = runEnd;
                while (xAt < text.Length && xAt - runEnd < 3 && IsSeparator(text[xAt]))
                {
                    xAt++;
                }
                // An X counts even when a word follows (…160XTel:); the check digit decides whether it ends an ID card.
                var x = xAt < text.Length && IsCheckX(text[xAt]) && (xAt + 1 == text.Length || Digit(text[xAt + 1]) < 0);
                groups.Add(new Group(start, runEnd, x ? xAt + 1 : runEnd));
                if (x || groups.Count == MaxGroups)
                {
                    runEnd = x ? xAt + 1 : runEnd;
                    break;
                }
                var gap = runEnd;
                while (gap < text.Length && gap - runEnd < 3 && IsSeparator(text[gap]))
                {
                    gap++;
                }
                if (gap == runEnd || gap >= text.Length || Digit(text[gap]) < 0)
                {
                    break;
                }
                runEnd = gap;
            }
            // A lone decimal point (158000000.00, 2.718281828459045, 135000000.00-140000000.00) parts a number, so a decimal is never
            // read as a mobile or card number; dots that repeat (138.1234.5678) group one.
            var all = CollectionsMarshal.AsSpan(groups);
            var from = 0;
            for (var k = 1; k < all.Length; k++)
            {
                if (IsDecimalPoint(text, all, k) && !IsDecimalPoint(text, all, k - 1) && !IsDecimalPoint(text, all, k + 1))
                {
                    MatchRun(text, all[from..k], matches);
                    from = k;
                }
            }
            MatchRun(text, all[from..], matches);
            i = runEnd;
        }
    }

    private static bool IsDecimalPoint(ReadOnlySpan<char> text, ReadOnlySpan<Group> groups, int k) =>
        k >= 1 && k < groups.Length && groups[k].Start == groups[k - 1].End + 1 && text[groups[k - 1].End] is '.' or '．';

    private static void MatchRun(ReadOnlySpan<char> text, ReadOnlySpan<Group> groups, List<PiiMatch> matches)
    {
        Span<byte> digits = stackalloc byte[20];
        var g = 0;
        while (g < groups.Length)
        {
            var matched = false;
            // Longest span first: an ID card or card number wins over a mobile inside it.
            var length = 0;
            var last = g;
            for (; last < groups.Length; last++)
            {
                length += groups[last].End - groups[last].Start;
                if (length > 19)
                {
                    break;
                }
            }
            for (var end = last - 1; end >= g && !matched; end--)
            {
                var count = 0;
                for (var k = g; k <= end; k++)
                {
                    for (var p = groups[k].Start; p < groups[k].End; p++)
                    {
                        digits[count++] = (byte)Digit(text[p]);
                    }
                }
                var kind = Classify(digits[..count], groups[end].TrailingX, out var skip);
                if (kind is not null)
                {
                    var start = groups[g].Start;
                    // Skip a country prefix written without a separator (8613812345678): mask the mobile only.
                    for (var s = 0; s < skip; s++)
                    {
                        start = NextDigit(text, start) + 1;
                    }
                    while (Digit(text[start]) < 0)
                    {
                        start++;
                    }
                    var stop = kind == PiiKind.IdCard ? groups[end].IdEnd : groups[end].End;
                    if (!Overlaps(matches, start, stop))
                    {
                        matches.Add(new PiiMatch(kind.Value, start, stop - start));
                    }
                    g = end + 1;
                    matched = true;
                }
            }
            if (!matched)
            {
                g++;
            }
        }
    }

    private static bool Overlaps(List<PiiMatch> matches, int start, int end)
    {
        foreach (var m in matches)
        {
            if (m.Start < end && start < m.Start + m.Length)
            {
                return true;
            }
        }
        return false;
    }

    private static int NextDigit(ReadOnlySpan<char> text, int from)
    {
        while (Digit(text[from]) < 0)
        {
            from++;
        }
        return from;
    }

    private static PiiKind? Classify(ReadOnlySpan<byte> d, bool trailingX, out int skip)
    {
        skip = 0;
        if (trailingX && d.Length == 17 && IsIdCard(d, 10))
        {
            return PiiKind.IdCard;
        }
        if (d.Length == 18 && IsIdCard(d[..17], d[17]))
        {
            return PiiKind.IdCard;
        }
        if (d.Length is >= 16 and <= 19 && d[0] is >= 2 and <= 6 && Luhn(d))
        {
            return PiiKind.BankCard;
        }
        if (d.Length == 11 && IsMobile(d))
        {
            return PiiKind.Mobile;
        }
        if (d.Length == 13 && d[0] == 8 && d[1] == 6 && IsMobile(d[2..]))
        {
            skip = 2;
            return PiiKind.Mobile;
        }
        if (d.Length == 15 && d[0] == 0 && d[1] == 0 && d[2] == 8 && d[3] == 6 && IsMobile(d[4..]))
        {
            skip = 4;
            return PiiKind.Mobile;
        }
        return null;
    }

    private static bool IsMobile(ReadOnlySpan<byte> d) => d.Length == 11 && d[0] == 1 && d[1] >= 3;

    private static readonly int[] IdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private static readonly byte[] IdCheck = [1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2];

    /// <summary>17 digits and a check value (10 for X): region starting 1–9, a real birth date from 1900, ISO 7064 MOD 11-2.</summary>
    public static bool IsIdCard(ReadOnlySpan<byte> first17, int check)
    {
        if (first17.Length != 17 || first17[0] == 0)
        {
            return false;
        }
        var year = (first17[6] * 1000) + (first17[7] * 100) + (first17[8] * 10) + first17[9];
        var month = (first17[10] * 10) + first17[11];
        var day = (first17[12] * 10) + first17[13];
        if (year is < 1900 or > 2099 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += first17[i] * IdWeights[i];
        }
        return IdCheck[sum % 11] == check;
    }

    /// <summary>The check character (0–9 or X) that completes 17 ID-card digits.</summary>
    public static char IdCheckCharacter(ReadOnlySpan<byte> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += first17[i] * IdWeights[i];
        }
        var check = IdCheck[sum % 11];
        return check == 10 ? 'X' : (char)('0' + check);
    }

    /// <summary>The check character that completes 17 ASCII ID-card digits.</summary>
    public static char IdCheckCharacter(ReadOnlySpan<char> first17)
    {
        Span<byte> digits = stackalloc byte[17];
        for (var i = 0; i < 17; i++)
        {
            digits[i] = (byte)(first17[i] - '0');
        }
        return IdCheckCharacter(digits);
    }

    public static bool Luhn(ReadOnlySpan<byte> d)
    {
        var sum = 0;
        var doubled = false;
        for (var i = d.Length - 1; i >= 0; i--)
        {
            var v = d[i];
            if (doubled)
            {
                v *= 2;
                if (v > 9)
                {
                    v -= 9;
                }
            }
            sum += v;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static char Ascii(char c) => c is >= '！' and <= '～' ? (char)(c - 0xFEE0) : c;

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    /// <summary>ASCII letters, digits, dots and dashes (full-width folded), and any other letter for internationalised domains (例子.中国).</summary>
    private static bool IsDomainChar(char c)
    {
        var a = Ascii(c);
        return char.IsAsciiLetterOrDigit(a) || a is '.' or '-' || (c >= 0x80 && a == c && char.IsLetter(c));
    }

    private static void FindEmails(ReadOnlySpan<char> text, List<PiiMatch> matches)
    {
        var from = 0;
        while (from < text.Length)
        {
            var at = text[from..].IndexOfAny('@', '＠');
            if (at < 0)
            {
                return;
            }
            at += from;
            from = at + 1;
            var start = at;
            while (start > 0 && IsLocalChar(Ascii(text[start - 1])))
            {
                start--;
            }
            while (start < at && Ascii(text[start]) == '.')
            {
                start++;
            }
            var longest = at + 1;
            while (longest < text.Length && longest - at <= 255 && IsDomainChar(text[longest]))
            {
                longest++;
            }
            if (start == at)
            {
                continue;
            }
            // The longest prefix that is a domain: its last label is two or more letters of one script. Trailing dots end the
            // sentence, digits glued on (wang@example.org15209660376) and words in another script (…example.org联系) what follows.
            var end = -1;
            for (var candidate = longest; candidate > at + 3 && end < 0; candidate--)
            {
                if (IsDomain(text[(at + 1)..candidate]))
                {
                    end = candidate;
                }
            }
            if (end < 0)
            {
                continue;
            }
            matches.Add(new PiiMatch(PiiKind.Email, start, end - start));
            from = end;
        }
    }

    /// <summary>
    /// Dot-separated labels of at most 63 characters, each wholly ASCII (letters, digits, dashes) or wholly other letters and
    /// digits (例子.中国), ending in a label of two or more letters. Mixed labels end the domain, so an address never swallows
    /// the text and numbers after it.
    /// </summary>
    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        var labels = 0;
        var tldLetters = false;
        var start = 0;
        for (var i = 0; i <= domain.Length; i++)
        {
            if (i < domain.Length && Ascii(domain[i]) != '.')
            {
                continue;
            }
            var label = domain[start..i];
            if (label.IsEmpty || label.Length > 63 || !OneScript(label, out tldLetters))
            {
                return false;
            }
            labels++;
            start = i + 1;
        }
        return labels >= 2 && tldLetters && domain.Length - start + 1 >= 0 && domain[(domain.LastIndexOfAny('.', '．') + 1)..].Length >= 2;
    }

    private static bool OneScript(ReadOnlySpan<char> label, out bool letters)
    {
        var ascii = Ascii(label[0]) < 0x80;
        letters = true;
        foreach (var c in label)
        {
            var a = Ascii(c);
            var fits = ascii ? char.IsAsciiLetterOrDigit(a) || a == '-' : a >= 0x80 && char.IsLetterOrDigit(a);
            if (!fits)
            {
                return false;
            }
            letters &= char.IsLetter(a);
        }
        return true;
    }

    private static void MaskMatch(char[] buffer, PiiMatch match, bool whole)
    {
        if (match.Kind == PiiKind.Email)
        {
            // First character of the mailbox stays, the rest of it becomes ***; the domain stays.
            var at = whole ? match.Start + match.Length : Array.FindIndex(buffer, match.Start, match.Length, c => c is '@' or '＠');
            for (var k = match.Start + (whole ? 0 : 1); k < at; k++)
            {
                buffer[k] = '*';
            }
            return;
        }
        var (keepFirst, keepLast) = whole ? (0, 0) : match.Kind switch
        {
            PiiKind.Mobile => (3, 4),
            PiiKind.IdCard => (3, 4),
            _ => (0, 4),
        };
        var total = 0;
        for (var k = match.Start; k < match.Start + match.Length; k++)
        {
            total += Digit(buffer[k]) >= 0 || IsCheckX(buffer[k]) ? 1 : 0;
        }
        var seen = 0;
        for (var k = match.Start; k < match.Start + match.Length; k++)
        {
            if (Digit(buffer[k]) >= 0 || IsCheckX(buffer[k]))
            {
                if (seen >= keepFirst && seen < total - keepLast)
                {
                    buffer[k] = '*';
                }
                seen++;
            }
        }
    }
}
