using System.Buffers;
using System.Runtime.InteropServices;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// Finds and masks ID-card, mobile, landline and bank-card numbers, e-mail addresses, street addresses and names after cue
/// words anywhere in a text, however the number is written: any digit form, Chinese numerals, look-alike letters, invisible
/// characters and runs of separators between digit groups.
/// </summary>
/// <remarks>
/// The text is first folded (<see cref="TextFold"/>) with a map back to its own offsets, so a mask replaces the characters
/// as written. A number is a run of digit groups joined by at most five separator characters; any span of consecutive
/// groups is a candidate, the longest tried first. Values only loosely checked (an ID card with a wrong check digit or the
/// legacy 15 digits, a card failing Luhn, a landline) must stand alone: their groups joined by plain grouping separators
/// (space, dash, dot, slash, brackets), not by list punctuation (，、:|~+), and no order-number cue (订单号, 流水号…) before.
/// Masks have one shape per kind whatever the value's length: mobile <c>138****5678</c>, ID card the first 3 and last 4
/// around 11 <c>*</c>, bank card <c>****</c> and the last 4, landline the area code, <c>-****</c> and the last 2, e-mail the
/// mailbox's first character, <c>***</c> and the domain, a name its surname and <c>**</c>, an address its district
/// (<c>宁波市海曙区</c>, the city when no county is named, <c>[地址]</c> when neither is).
/// After masking, the text is scanned again, and anything found then is replaced whole, so the answer never holds a value.
/// </remarks>
internal static class PiiScanner
{
    private const int MaxGroups = 24;
    private const int MaxGap = 5;
    private const int StackChars = 256;

    /// <summary>Numbers below this many (ten digits) cannot be a phone, ID-card or card number.</summary>
    private const long SmallestScannedNumber = 10_000_000_000;

    /// <summary>
    /// The digits of a stored number long enough to be a phone, ID-card or card number (its integer part), or null: a mobile
    /// typed into a number column leaks as surely as text, so the outbound check and ingestion read it as text.
    /// </summary>
    public static string? NumberText(object? value) => value switch
    {
        long n when n >= SmallestScannedNumber || n <= -SmallestScannedNumber => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        decimal m when Math.Abs(m) >= SmallestScannedNumber => decimal.Truncate(m).ToString(System.Globalization.CultureInfo.InvariantCulture),
        double d when Math.Abs(d) >= SmallestScannedNumber && Math.Abs(d) < 1e28 => decimal.Truncate((decimal)d).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    // The scratch lists of one thread's scans, kept between calls: the outbound check scans millions of cells in an export, and a
    // list a call saves the collector that much work. Mask, MaskSplit and Kinds never run inside a scan, so one of each a thread is enough.
    [ThreadStatic]
    private static List<PiiHit>? t_hits;

    [ThreadStatic]
    private static List<Group>? t_groups;

    /// <summary>This thread's list of hits, empty.</summary>
    private static List<PiiHit> Hits()
    {
        var hits = t_hits ??= [];
        hits.Clear();
        return hits;
    }

    /// <summary>What a wholly masked leftover becomes (a second pass found digits that joined into a new number).</summary>
    private const string Whole = "****";

    /// <summary>Masks every recognised value; <paramref name="counts"/> (one slot per <see cref="PiiKind"/>) grows by each hit. Null when nothing was found.</summary>
    public static string? Mask(string text, Span<int> counts)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MightHold(text))
        {
            return null;
        }
        string? current = null;
        var hits = Hits();
        for (var pass = 0; pass < 8; pass++)
        {
            var source = current ?? text;
            if (pass > 0 && !MightHold(source))
            {
                break;
            }
            hits.Clear();
            Scan(source, hits, whole: pass > 0);
            if (hits.Count == 0)
            {
                break;
            }
            if (pass == 0)
            {
                foreach (var hit in hits)
                {
                    counts[(int)hit.Kind]++;
                }
            }
            current = Replace(source, hits);
        }
        return current;
    }

    /// <summary>Every recognised value in <paramref name="text"/>, left to right, none overlapping.</summary>
    public static IReadOnlyList<PiiMatch> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = new List<PiiMatch>();
        if (MightHold(text))
        {
            var hits = new List<PiiHit>();
            Scan(text, hits, whole: false);
            foreach (var hit in hits)
            {
                matches.Add(new PiiMatch(hit.Kind, hit.Start, hit.End - hit.Start));
            }
        }
        return matches;
    }

    /// <summary>
    /// The kinds of value <see cref="Find"/> finds in <paramref name="text"/>, one bit each (<c>1 &lt;&lt; (int)kind</c>), without
    /// listing the matches: what ingestion's profiler asks of every cell, with no list allocated for it.
    /// </summary>
    public static int Kinds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MightHold(text))
        {
            return 0;
        }
        var hits = Hits();
        Scan(text, hits, whole: false);
        var kinds = 0;
        foreach (var hit in hits)
        {
            kinds |= 1 << (int)hit.Kind;
        }
        return kinds;
    }

    /// <summary>
    /// Cheap first look, one table load a character: a hit needs an at-sign or a spelt "at", at least 11 digits (Chinese
    /// numerals beside other digits count), a house number (12号), or a name cue (联系人, 姓名, 先生…).
    /// </summary>
    public static bool MightHold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var classes = TextFold.Classes;
        var digits = 0;
        var lastDigit = -3;
        var lastDigitish = -10;
        var lastCounted = false;
        // A numeral not counted yet because nothing digit-like came before it; a digit right after counts it too (幺38…).
        var pendingNumeral = -10;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var k = classes[c];
            if (k == TextFold.Other)
            {
                continue;
            }
            if (TextFold.IsDigitClass(k))
            {
                digits += i - pendingNumeral <= 6 ? 1 : 0;
                pendingNumeral = -10;
                lastDigit = lastDigitish = i;
                lastCounted = true;
                if (++digits >= 11)
                {
                    return true;
                }
                continue;
            }
            switch (k)
            {
                case >= TextFold.NumeralBase and < TextFold.NumeralBase + 10:
                    // A numeral on its own (一个, 第三) is a word; near a digit or another numeral it may be one (and so may that one).
                    if (i - lastDigitish <= 6)
                    {
                        digits += lastCounted ? 1 : 2;
                        lastCounted = true;
                        if (digits >= 11)
                        {
                            return true;
                        }
                    }
                    else
                    {
                        lastCounted = false;
                        pendingNumeral = i;
                    }
                    lastDigitish = i;
                    break;
                case TextFold.At:
                    return true;
                case TextFold.LetterT when i > 0 && classes[text[i - 1]] == TextFold.LetterA
                    && (i < 2 || !char.IsAsciiLetter(text[i - 2])) && (i + 1 == text.Length || !char.IsAsciiLetter(text[i + 1])):
                    return true;
                case TextFold.HouseMark when i - lastDigit == 1:
                    return true;
                case TextFold.CueTail when i > 0 && NameFinder.IsCue(text[i - 1], c):
                    return true;
                case TextFold.LookAlike when i - lastDigit == 1:
                    digits++;
                    lastDigit = i;
                    break;
                case TextFold.HighSurrogate:
                    // Perhaps a mathematical digit (𝟏): counted like one, the fold decides.
                    digits += i - pendingNumeral <= 6 ? 1 : 0;
                    pendingNumeral = -10;
                    lastDigitish = i + 1;
                    lastCounted = true;
                    if (++digits >= 11)
                    {
                        return true;
                    }
                    break;
            }
        }
        return false;
    }

    /// <summary>
    /// Masks a number split across two neighbouring cells of one row (<c>138 1234</c> | <c>5678</c>): the digit groups ending
    /// <paramref name="left"/> and those starting <paramref name="right"/> are read as one run. Both parts become <c>****</c>;
    /// the hit is counted in <paramref name="counts"/>. False (and both unchanged) when they hold no number together.
    /// </summary>
    public static bool MaskSplit(ref string left, ref string right, Span<int> counts)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        // The right cell first: most cells start with no digit, and that edge is one character to look at.
        var head = DigitEdge(right, fromEnd: false);
        if (head == 0)
        {
            return false;
        }
        var tail = DigitEdge(left, fromEnd: true);
        if (tail == 0)
        {
            return false;
        }
        var joined = string.Concat(left.AsSpan(left.Length - tail), " ", right.AsSpan(0, head));
        var hits = Hits();
        Scan(joined, hits, whole: false);
        foreach (var hit in hits)
        {
            if (hit.Kind is PiiKind.Email or PiiKind.Address or PiiKind.Name || hit.Start >= tail || hit.End <= tail + 1)
            {
                continue;
            }
            counts[(int)hit.Kind]++;
            left = string.Concat(left.AsSpan(0, left.Length - tail + hit.Start), Whole);
            right = string.Concat(Whole, right.AsSpan(hit.End - tail - 1));
            return true;
        }
        return false;
    }

    /// <summary>How many characters at the edge of <paramref name="text"/> are digits and separators (at most 40), 0 when the edge is no digit.</summary>
    private static int DigitEdge(string text, bool fromEnd)
    {
        var classes = TextFold.Classes;
        var count = 0;
        var sawDigit = false;
        while (count < text.Length && count < 40)
        {
            var c = text[fromEnd ? text.Length - 1 - count : count];
            var k = classes[c];
            if (TextFold.IsDigitish(k))
            {
                sawDigit = true;
            }
            else if (!(IsSeparator(c) || k == TextFold.Invisible) || (!sawDigit && count >= 3))
            {
                break;
            }
            count++;
        }
        if (!sawDigit)
        {
            return 0;
        }
        // Trim separators at the inner end: the span is digits to digits.
        while (count > 0 && !TextFold.IsDigitish(classes[text[fromEnd ? text.Length - count : count - 1]]))
        {
            count--;
        }
        return count;
    }

    private static void Scan(string text, List<PiiHit> hits, bool whole) => Scan(text, hits, whole, shortcut: true);

    /// <summary>
    /// The scan, with or without the shortcut for a text of ASCII digits only (a code, a bare number: most cells that reach the
    /// scan). Such a text folds to itself, holds no at-sign, house mark or name cue, so only the number finder can find anything in
    /// it, at the same offsets; the shortcut asks it alone. <c>PiiScannerShortcutTests</c> compare both ways on every kind of number.
    /// </summary>
    internal static void Scan(string text, List<PiiHit> hits, bool whole, bool shortcut)
    {
        if (shortcut && text.Length > 0 && !text.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            FindNumbers(text, hits, whole);
            if (hits.Count > 1)
            {
                hits.Sort((a, b) => a.Start.CompareTo(b.Start));
            }
            return;
        }
        char[]? rentedChars = null;
        int[]? rentedMap = null;
        var n = text.Length;
        Span<char> folded = n <= StackChars ? stackalloc char[n] : (rentedChars = ArrayPool<char>.Shared.Rent(n));
        Span<int> map = n < StackChars ? stackalloc int[n + 1] : (rentedMap = ArrayPool<int>.Shared.Rent(n + 1));
        try
        {
            var length = TextFold.Fold(text, folded, map);
            var norm = folded[..length];
            // Addresses first: a number that is a mailbox (13812345678@163.com) is an e-mail address, not a mobile.
            FindEmails(norm, hits, whole);
            FindNumbers(norm, hits, whole);
            AddressFinder.Find(norm, hits, whole);
            NameFinder.Find(norm, hits, whole);
            if (hits.Count > 1)
            {
                hits.Sort((a, b) => a.Start.CompareTo(b.Start));
            }
            var span = CollectionsMarshal.AsSpan(hits);
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = span[i] with { Start = map[span[i].Start], End = map[span[i].End] };
            }
        }
        finally
        {
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }
            if (rentedMap is not null)
            {
                ArrayPool<int>.Shared.Return(rentedMap);
            }
        }
    }

    private static string Replace(string text, List<PiiHit> hits)
    {
        var length = text.Length;
        foreach (var hit in hits)
        {
            length += hit.Replacement.Length - (hit.End - hit.Start);
        }
        return string.Create(length, (text, hits), static (span, state) =>
        {
            var from = 0;
            var to = 0;
            foreach (var hit in state.hits)
            {
                state.text.AsSpan(from, hit.Start - from).CopyTo(span[to..]);
                to += hit.Start - from;
                hit.Replacement.CopyTo(span[to..]);
                to += hit.Replacement.Length;
                from = hit.End;
            }
            state.text.AsSpan(from).CopyTo(span[to..]);
        });
    }

    /// <summary>True when [start, end) overlaps a hit already found (folded offsets).</summary>
    internal static bool Overlaps(List<PiiHit> hits, int start, int end)
    {
        foreach (var h in hits)
        {
            if (h.Start < end && start < h.End)
            {
                return true;
            }
        }
        return false;
    }

    private static int Digit(char c) => c is >= '0' and <= '9' ? c - '0' : -1;

    // Line breaks, the dash look-alikes IMEs type (―, ﹣, ー), list punctuation and brackets split numbers too; the folded text
    // already turned full-width forms into ASCII.
    private static bool IsSeparator(char c) => c is ' ' or '-' or '.' or '\t' or '\n' or '\r' or '\u00A0' or '\u3000' or '\u2009' or '\u202F' or '\u2002' or '\u2003'
        or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' or '\uFE63' or '\u30FC' or '\uFF70'
        or '·' or '_' or '/' or '(' or ')' or '[' or ']' or '【' or '】' or '「' or '」' or '〔' or '〕'
        or '，' or '、' or ':' or '~' or '|' or '+' or '－' or '．' or '（' or '）' or '：' or '～' or '｜' or '＋';

    // List punctuation and line breaks join numbers only for values whose own check proves them (a valid ID card, a Luhn card, a mobile).
    // An ASCII comma groups thousands (13,800,000,000); with a space beside it (139 , 7234) it parts digit groups like a full-width one.
    private static bool IsSpacedComma(ReadOnlySpan<char> text, int i) =>
        text[i] == ',' && ((i > 0 && text[i - 1] == ' ') || (i + 1 < text.Length && text[i + 1] == ' '));

    private static bool IsHardSeparator(char c) => c is ',' or '，' or '、' or ':' or '~' or '|' or '+' or '\n' or '\r' or '：' or '～' or '｜' or '＋';

    private static bool IsCheckX(char c) => c is 'X' or 'x';

    /// <summary>Digits from Start to End; when an ID-card check X follows, an ID ends at IdEnd. HardBefore: the gap before it holds list punctuation or is long.</summary>
    private readonly record struct Group(int Start, int End, int IdEnd, bool HardBefore)
    {
        public bool TrailingX => IdEnd > End;
    }

    private static void FindNumbers(ReadOnlySpan<char> text, List<PiiHit> hits, bool whole)
    {
        List<Group>? groups = null;
        var i = 0;
        while (i < text.Length)
        {
            if (Digit(text[i]) < 0)
            {
                i++;
                continue;
            }
            groups ??= t_groups ??= [];
            groups.Clear();
            var runEnd = i;
            var hard = false;
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
                groups.Add(new Group(start, runEnd, x ? xAt + 1 : runEnd, hard));
                if (x || groups.Count == MaxGroups)
                {
                    runEnd = x ? xAt + 1 : runEnd;
                    break;
                }
                var gap = runEnd;
                hard = false;
                while (gap < text.Length && gap - runEnd < MaxGap && (IsSeparator(text[gap]) || IsSpacedComma(text, gap)))
                {
                    hard |= IsHardSeparator(text[gap]);
                    gap++;
                }
                if (gap == runEnd || gap >= text.Length || Digit(text[gap]) < 0)
                {
                    break;
                }
                hard |= gap - runEnd > 3;
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
                    MatchRun(text, all[from..k], hits, whole);
                    from = k;
                }
            }
            MatchRun(text, all[from..], hits, whole);
            i = runEnd;
        }
    }

    private static bool IsDecimalPoint(ReadOnlySpan<char> text, ReadOnlySpan<Group> groups, int k) =>
        k >= 1 && k < groups.Length && groups[k].Start == groups[k - 1].End + 1 && text[groups[k - 1].End] == '.';

    private static void MatchRun(ReadOnlySpan<char> text, ReadOnlySpan<Group> groups, List<PiiHit> hits, bool whole)
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
            // The surest kind first, and within a kind the longest span: a valid ID card is never swallowed by an accidental card
            // number that runs on into the digits after it, and a card wins over a mobile inside it.
            for (var attempt = 0; attempt < Tiers * (last - g) && !matched; attempt++)
            {
                var tier = attempt / (last - g);
                var end = last - 1 - (attempt % (last - g));
                var count = 0;
                var soft = true;
                for (var k = g; k <= end; k++)
                {
                    soft &= k == g || !groups[k].HardBefore;
                    for (var p = groups[k].Start; p < groups[k].End; p++)
                    {
                        digits[count++] = (byte)Digit(text[p]);
                    }
                }
                // A loosely checked value stands alone: soft gaps inside, a hard gap or the run's edge outside.
                var alone = soft && (g == 0 || groups[g].HardBefore) && (end == groups.Length - 1 || groups[end + 1].HardBefore);
                var kind = Classify(tier, digits[..count], groups[end].TrailingX, alone ? text[..groups[g].Start] : default, alone, out var skip);
                if (kind is null)
                {
                    continue;
                }
                var start = groups[g].Start;
                // Skip a country prefix or trunk zero written without a separator (8613812345678): mask the mobile only.
                for (var s = 0; s < skip; s++)
                {
                    start = NextDigit(text, start) + 1;
                }
                start = NextDigit(text, start);
                var stop = kind == PiiKind.IdCard && groups[end].TrailingX ? groups[end].IdEnd : groups[end].End;
                if (!Overlaps(hits, start, stop))
                {
                    hits.Add(new PiiHit(kind.Value, start, stop, whole ? Whole : Shape(kind.Value, digits[skip..count], groups[end].TrailingX)));
                }
                g = end + 1;
                matched = true;
            }
            if (!matched)
            {
                g++;
            }
        }
    }

    private static int NextDigit(ReadOnlySpan<char> text, int from)
    {
        while (Digit(text[from]) < 0)
        {
            from++;
        }
        return from;
    }

    /// <summary>The fixed mask of a number of <paramref name="kind"/>: its length never shows.</summary>
    private static string Shape(PiiKind kind, ReadOnlySpan<byte> d, bool trailingX)
    {
        Span<char> shape = stackalloc char[20];
        var n = 0;
        void Keep(ReadOnlySpan<byte> part, Span<char> into, ref int at)
        {
            foreach (var b in part)
            {
                into[at++] = (char)('0' + b);
            }
        }
        void Stars(int count, Span<char> into, ref int at)
        {
            into.Slice(at, count).Fill('*');
            at += count;
        }
        switch (kind)
        {
            case PiiKind.Mobile:
                Keep(d[..3], shape, ref n);
                Stars(4, shape, ref n);
                Keep(d[^4..], shape, ref n);
                break;
            case PiiKind.IdCard:
                Keep(d[..3], shape, ref n);
                Stars(11, shape, ref n);
                if (trailingX)
                {
                    Keep(d[^3..], shape, ref n);
                    shape[n++] = 'X';
                }
                else
                {
                    Keep(d[^4..], shape, ref n);
                }
                break;
            case PiiKind.Landline:
                Keep(d[..(d[1] is 1 or 2 ? 3 : 4)], shape, ref n);
                shape[n++] = '-';
                Stars(4, shape, ref n);
                Keep(d[^2..], shape, ref n);
                break;
            default:
                Stars(4, shape, ref n);
                Keep(d[^4..], shape, ref n);
                break;
        }
        return new string(shape[..n]);
    }

    private const int Tiers = 4;

    /// <summary>Tier 0 a valid ID card, 1 a Luhn card, 2 a mobile, 3 what is only loosely checked and must stand alone.</summary>
    private static PiiKind? Classify(int tier, ReadOnlySpan<byte> d, bool trailingX, ReadOnlySpan<char> before, bool alone, out int skip)
    {
        skip = 0;
        switch (tier)
        {
            case 0:
                return (trailingX && d.Length == 17 && IsIdCard(d, 10)) || (d.Length == 18 && IsIdCard(d[..17], d[17])) ? PiiKind.IdCard : null;
            case 1:
                // An 18-digit ID card with a wrong check digit passes Luhn one time in ten: it is left to the ID card's own test.
                return d.Length is >= 16 and <= 19 && d[0] is >= 2 and <= 6 && Luhn(d) && !(d.Length == 18 && IsIdShape(d[..17])) ? PiiKind.BankCard : null;
            case 2:
                // A country prefix written without a separator (8613812345678, 008613812345678): the mobile only is masked.
                skip = d.Length switch
                {
                    13 when d[0] == 8 && d[1] == 6 => 2,
                    15 when d[0] == 0 && d[1] == 0 && d[2] == 8 && d[3] == 6 => 4,
                    _ => 0,
                };
                return IsMobile(d[skip..]) ? PiiKind.Mobile : null;
        }
        // The cue words are read only for a length one of the loose tests could take.
        if (!alone || d.Length is < 11 or 13 or 14 or > 19 || (d.Length == 17 && !trailingX) || NumberCue.IsOrderNumber(before))
        {
            return null;
        }
        // Loosely checked: a real region and birth date with a wrong check digit, the legacy 15 digits, a card failing Luhn.
        if ((d.Length == 18 || (trailingX && d.Length == 17)) && IsIdShape(d[..17]))
        {
            return PiiKind.IdCard;
        }
        if (d.Length == 15 && !trailingX && IsLegacyId(d))
        {
            return PiiKind.IdCard;
        }
        if (d.Length is >= 16 and <= 19 && !trailingX && ((d[0] == 6 && d[1] == 2) || (d[0] is >= 3 and <= 6 && NumberCue.IsCard(before))))
        {
            return PiiKind.BankCard;
        }
        if (!trailingX && IsLandline(d))
        {
            return PiiKind.Landline;
        }
        if (d.Length == 12 && d[0] == 0 && IsMobile(d[1..]))
        {
            skip = 1;
            return PiiKind.Mobile;
        }
        return null;
    }

    private static bool IsMobile(ReadOnlySpan<byte> d) => d.Length == 11 && d[0] == 1 && d[1] >= 3;

    /// <summary>An area code (010, 02x, or 0 and three digits from 3) and a local number of 8 digits, or 7 after a four-digit code, not starting 0 or 1.</summary>
    private static bool IsLandline(ReadOnlySpan<byte> d)
    {
        if (d.Length < 11 || d[0] != 0)
        {
            return false;
        }
        var area = d[1] is 1 or 2 ? 3 : 4;
        if ((area == 3 && d[1] == 1 && d[2] != 0) || (area == 4 && d[1] < 3))
        {
            return false;
        }
        var local = d.Length - area;
        return (local == 8 || (area == 4 && local == 7)) && d[area] >= 2;
    }

    private static readonly int[] IdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private static readonly byte[] IdCheck = [1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2];

    /// <summary>17 digits and a check value (10 for X): region starting 1–9, a real birth date from 1900 to this year, ISO 7064 MOD 11-2.</summary>
    public static bool IsIdCard(ReadOnlySpan<byte> first17, int check)
    {
        if (first17.Length != 17 || first17[0] == 0)
        {
            return false;
        }
        // A birth date to come is no one's: without this bound a 19-digit card written a digit at a time held an "ID card" in
        // its first 18 digits one time in eleven (a year up to 2099 and a matching check digit).
        var year = (first17[6] * 1000) + (first17[7] * 100) + (first17[8] * 10) + first17[9];
        if (!IsDate(year, (first17[10] * 10) + first17[11], (first17[12] * 10) + first17[13]) || year > DateTime.UtcNow.Year)
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

    /// <summary>A province code that exists and a birth date from 1900 to this year: an ID card whatever its check digit.</summary>
    private static bool IsIdShape(ReadOnlySpan<byte> first17) =>
        IsProvince(first17[0], first17[1])
        && IsDate((first17[6] * 1000) + (first17[7] * 100) + (first17[8] * 10) + first17[9], (first17[10] * 10) + first17[11], (first17[12] * 10) + first17[13])
        && (first17[6] * 1000) + (first17[7] * 100) + (first17[8] * 10) + first17[9] <= DateTime.UtcNow.Year;

    /// <summary>The first-generation card (before 1999): region, birth date as yyMMdd in the 1900s, 3-digit sequence.</summary>
    private static bool IsLegacyId(ReadOnlySpan<byte> d) =>
        IsProvince(d[0], d[1]) && IsDate(1900 + (d[6] * 10) + d[7], (d[8] * 10) + d[9], (d[10] * 10) + d[11]);

    private static bool IsProvince(byte a, byte b) => ((a * 10) + b) is (>= 11 and <= 15) or (>= 21 and <= 23) or (>= 31 and <= 37)
        or (>= 41 and <= 46) or (>= 50 and <= 54) or (>= 61 and <= 65) or 71 or 81 or 82;

    private static bool IsDate(int year, int month, int day) =>
        year is >= 1900 and <= 2099 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

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

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    /// <summary>ASCII letters, digits, dots and dashes, and any other letter for internationalised domains (例子.中国).</summary>
    private static bool IsDomainChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' || (c >= 0x80 && char.IsLetter(c));

    // Where a mailbox written in Chinese (张三@example.com) starts: after the word that announces it (邮箱, 发至, 是…).
    private static bool EndsMailboxCue(char c) => c is '箱' or '件' or '址' or '至' or '到' or '为' or '是' or '系' or '给' or '：' or ':' or '的';

    private static void FindEmails(ReadOnlySpan<char> text, List<PiiHit> hits, bool whole)
    {
        var from = 0;
        while (from < text.Length)
        {
            var at = text[from..].IndexOf('@');
            if (at < 0)
            {
                return;
            }
            at += from;
            from = at + 1;
            // Spaces around the at-sign (wang @ example.com) hide nothing.
            var localEnd = at;
            while (localEnd > 0 && at - localEnd < 2 && text[localEnd - 1] == ' ')
            {
                localEnd--;
            }
            var domainStart = at + 1;
            while (domainStart < text.Length && domainStart - at <= 2 && text[domainStart] == ' ')
            {
                domainStart++;
            }
            var start = localEnd;
            if (start > 0 && IsLocalChar(text[start - 1]))
            {
                while (start > 0 && IsLocalChar(text[start - 1]))
                {
                    start--;
                }
                while (start < localEnd && text[start] == '.')
                {
                    start++;
                }
            }
            else
            {
                while (start > 0 && localEnd - start < 6 && text[start - 1] >= 0x80 && char.IsLetter(text[start - 1]) && !EndsMailboxCue(text[start - 1]))
                {
                    start--;
                }
            }
            if (start == localEnd)
            {
                continue;
            }
            var longest = domainStart;
            while (longest < text.Length && longest - domainStart <= 255 && IsDomainChar(text[longest]))
            {
                longest++;
            }
            // The longest prefix that is a domain: its last label is two or more letters of one script. Trailing dots end the
            // sentence, digits glued on (wang@example.org15209660376) and words in another script (…example.org联系) what follows.
            var end = -1;
            for (var candidate = longest; candidate > domainStart + 2 && end < 0; candidate--)
            {
                if (IsDomain(text[domainStart..candidate]))
                {
                    end = candidate;
                }
            }
            if (end < 0 || Overlaps(hits, start, end))
            {
                continue;
            }
            var replacement = whole ? Whole : string.Concat(text.Slice(start, char.IsSurrogate(text[start]) ? 2 : 1), "***@", text[domainStart..end]);
            hits.Add(new PiiHit(PiiKind.Email, start, end, replacement));
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
            if (i < domain.Length && domain[i] != '.')
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
        return labels >= 2 && tldLetters && domain[(domain.LastIndexOf('.') + 1)..].Length >= 2;
    }

    private static bool OneScript(ReadOnlySpan<char> label, out bool letters)
    {
        var ascii = label[0] < 0x80;
        letters = true;
        foreach (var c in label)
        {
            var fits = ascii ? char.IsAsciiLetterOrDigit(c) || c == '-' : c >= 0x80 && char.IsLetterOrDigit(c);
            if (!fits)
            {
                return false;
            }
            letters &= char.IsLetter(c);
        }
        return true;
    }
}
