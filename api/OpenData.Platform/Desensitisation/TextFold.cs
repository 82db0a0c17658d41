using System.Globalization;
using System.Text;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// Folds a text into the form the outbound check reads, keeping for every folded character the offset it came from:
/// every digit form (full-width, other scripts, circled, superscript, mathematical) becomes an ASCII digit; Chinese numerals
/// (一二三…, 壹贰叁…, 幺, 〇/零) and the look-alikes l, I, O, o become digits inside digit runs only; full-width ASCII becomes
/// ASCII; ×, Cyrillic Х and Ⅹ become X; invisible format characters vanish (or part two digits, as a space would);
/// <c>[at]</c>, <c>(at)</c>, <c> at </c> become @ and <c>[dot]</c>, <c> dot </c> and 。 inside an address become a dot.
/// </summary>
internal static class TextFold
{
    // Character classes, one byte per BMP character, so the first look costs one load a character.
    public const byte Other = 0;
    public const byte DigitBase = 1;        // 1..10: a decimal digit 0..9 in any form
    public const byte NumeralBase = 16;     // 16..25: a Chinese numeral 0..9
    public const byte Invisible = 30;
    public const byte At = 31;
    public const byte CheckX = 32;          // non-ASCII forms of the ID card's check X
    public const byte LookAlike = 33;       // l I O o and their full-width forms
    public const byte HouseMark = 34;       // 号 弄 室 幢 栋
    public const byte CueTail = 35;         // last character of a name cue: 人 名 生 士 傅 姐
    public const byte LetterA = 36;
    public const byte LetterT = 37;
    public const byte HighSurrogate = 38;
    public const byte FullStop = 39;        // 。 ｡

    public static readonly byte[] Classes = BuildClasses();

    public static bool IsDigitClass(byte k) => k is >= DigitBase and < DigitBase + 10;

    public static bool IsNumeralClass(byte k) => k is >= NumeralBase and < NumeralBase + 10;

    public static bool IsDigitish(byte k) => k is >= DigitBase and < NumeralBase + 10;

    private static byte[] BuildClasses()
    {
        var classes = new byte[65536];
        for (var c = 0x80; c < 0x10000; c++)
        {
            var ch = (char)c;
            if (char.IsHighSurrogate(ch))
            {
                classes[c] = HighSurrogate;
                continue;
            }
            if (char.IsSurrogate(ch))
            {
                continue;
            }
            var digit = CharUnicodeInfo.GetDecimalDigitValue(ch);
            if (digit < 0)
            {
                // Superscripts, circled and parenthesised digits: NFKC folds them to the digit.
                digit = CharUnicodeInfo.GetDigitValue(ch);
            }
            if (digit is >= 0 and <= 9)
            {
                classes[c] = (byte)(DigitBase + digit);
            }
        }
        for (var c = '0'; c <= '9'; c++)
        {
            classes[c] = (byte)(DigitBase + (c - '0'));
        }
        foreach (var (numerals, from) in new[] { ("〇一二三四五六七八九", 0), ("零壹贰叁肆伍陆柒捌玖", 0), ("幺", 1), ("貳參叄陸", -1) })
        {
            for (var i = 0; i < numerals.Length; i++)
            {
                var value = from >= 0 ? from + i : numerals[i] switch { '貳' => 2, '陸' => 6, _ => 3 };
                classes[numerals[i]] = (byte)(NumeralBase + value);
            }
        }
        foreach (var c in "\u200B\u200C\u200D\u200E\u200F\u2060\u2061\u2062\u2063\u2064\uFEFF\u00AD\u180E\u034F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069")
        {
            classes[c] = Invisible;
        }
        foreach (var c in "@＠﹫")
        {
            classes[c] = At;
        }
        foreach (var c in "Ｘｘ×ХхⅩⅹ")
        {
            classes[c] = CheckX;
        }
        foreach (var c in "lIOoｌＩＯｏ")
        {
            classes[c] = LookAlike;
        }
        foreach (var c in "号弄室幢栋")
        {
            classes[c] = HouseMark;
        }
        foreach (var c in "人名生士傅姐")
        {
            classes[c] = CueTail;
        }
        classes['a'] = classes['A'] = LetterA;
        classes['t'] = classes['T'] = LetterT;
        classes['。'] = classes['｡'] = FullStop;
        return classes;
    }

    /// <summary>Folds <paramref name="text"/> into <paramref name="folded"/> (as long as the text); <paramref name="map"/>[k] is where folded character k came from, map[length] the text's length.</summary>
    public static int Fold(ReadOnlySpan<char> text, Span<char> folded, Span<int> map)
    {
        var n = 0;
        var obfuscated = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var k = Classes[c];
            char o;
            switch (k)
            {
                case Other:
                    // The full-width comma stays: it parts digit groups (138，1234，5678) where an ASCII comma groups thousands.
                    o = c is >= '！' and <= '～' and not '，' ? (char)(c - 0xFEE0) : c;
                    break;
                case >= DigitBase and < DigitBase + 10:
                    o = (char)('0' + k - DigitBase);
                    break;
                case >= NumeralBase and < NumeralBase + 10:
                    o = NearDigits(text, i) ? (char)('0' + k - NumeralBase) : c;
                    break;
                case Invisible:
                    // Between two digits an invisible character still parts groups (two numbers side by side stay two numbers).
                    if (i > 0 && i + 1 < text.Length && IsDigitish(Classes[text[i - 1]]) && IsDigitish(Classes[text[i + 1]]))
                    {
                        o = ' ';
                        break;
                    }
                    continue;
                case At:
                    o = '@';
                    break;
                case CheckX:
                    o = 'X';
                    break;
                case LookAlike:
                    o = InsideDigits(text, i) ? (c is 'l' or 'I' or 'ｌ' or 'Ｉ' ? '1' : '0') : c is >= '！' and <= '～' ? (char)(c - 0xFEE0) : c;
                    break;
                case HighSurrogate:
                    if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) && Rune.GetNumericValue(new Rune(c, text[i + 1])) is var v
                        && Rune.IsDigit(new Rune(c, text[i + 1])) && v is >= 0 and <= 9)
                    {
                        // Mathematical digits (𝟏𝟑𝟖) sit outside the BMP.
                        folded[n] = (char)('0' + (int)v);
                        map[n++] = i++;
                        continue;
                    }
                    o = c;
                    break;
                case LetterA:
                    obfuscated = true;
                    o = c;
                    break;
                case FullStop:
                    // 。 is a dot only between ASCII words (wang。example。com); a Chinese sentence's full stop needs no second pass.
                    obfuscated |= n > 0 && char.IsAsciiLetterOrDigit(folded[n - 1]) && i + 1 < text.Length
                        && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] is (>= 'Ａ' and <= 'Ｚ') or (>= 'ａ' and <= 'ｚ'));
                    o = c;
                    break;
                default:
                    o = c;
                    break;
            }
            folded[n] = o;
            map[n++] = i;
        }
        map[n] = text.Length;
        return obfuscated ? FoldSpelledSigns(folded, map, n) : n;
    }

    /// <summary>A Chinese numeral counts as a digit when another digit or numeral sits beside it, up to four separators between.</summary>
    private static bool NearDigits(ReadOnlySpan<char> text, int i)
    {
        for (var j = i - 1; j >= 0 && i - j <= 5; j--)
        {
            if (IsDigitish(Classes[text[j]]) || (char.IsLowSurrogate(text[j]) && j > 0 && IsDigitRune(text[j - 1], text[j])))
            {
                return true;
            }
            if (char.IsLetterOrDigit(text[j]))
            {
                break;
            }
        }
        for (var j = i + 1; j < text.Length && j - i <= 5; j++)
        {
            if (IsDigitish(Classes[text[j]]) || (char.IsHighSurrogate(text[j]) && j + 1 < text.Length && IsDigitRune(text[j], text[j + 1])))
            {
                return true;
            }
            if (char.IsLetterOrDigit(text[j]))
            {
                break;
            }
        }
        return false;
    }

    private static bool IsDigitRune(char high, char low) =>
        char.IsSurrogatePair(high, low) && Rune.IsDigit(new Rune(high, low));

    /// <summary>A look-alike counts as a digit only between digits (138l234O678), look-alikes beside it passed over.</summary>
    private static bool InsideDigits(ReadOnlySpan<char> text, int i)
    {
        var before = i - 1;
        while (before >= 0 && Classes[text[before]] == LookAlike && i - before <= 2)
        {
            before--;
        }
        var after = i + 1;
        while (after < text.Length && Classes[text[after]] == LookAlike && after - i <= 2)
        {
            after++;
        }
        return before >= 0 && after < text.Length && IsDigitClass(Classes[text[before]]) && IsDigitClass(Classes[text[after]]);
    }

    /// <summary>Rewrites <c>[at]</c>, <c>(at)</c>, <c> at </c> as @ and <c>[dot]</c>, <c> dot </c>, 。 between ASCII words as a dot, in place.</summary>
    private static int FoldSpelledSigns(Span<char> folded, Span<int> map, int n)
    {
        var w = 0;
        for (var r = 0; r < n; r++)
        {
            var c = folded[r];
            var consumed = 0;
            char sign = '\0';
            if (c is '[' or '(' or '{' or '<' or '【' or '〔' or '［')
            {
                foreach (var (word, s) in (ReadOnlySpan<(string, char)>)[("at", '@'), ("dot", '.')])
                {
                    var e = r + 1;
                    while (e < n && folded[e] == ' ')
                    {
                        e++;
                    }
                    if (e + word.Length < n && folded.Slice(e, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase))
                    {
                        e += word.Length;
                        while (e < n && folded[e] == ' ')
                        {
                            e++;
                        }
                        if (e < n && folded[e] is ']' or ')' or '}' or '>' or '】' or '〕' or '］')
                        {
                            consumed = e - r + 1;
                            sign = s;
                            break;
                        }
                    }
                }
            }
            else if (c == ' ' && w > 0 && IsWordChar(folded[w - 1]))
            {
                foreach (var (word, s) in (ReadOnlySpan<(string, char)>)[("at", '@'), ("dot", '.')])
                {
                    var e = r;
                    while (e < n && folded[e] == ' ')
                    {
                        e++;
                    }
                    if (e + word.Length + 1 < n && e > r && folded.Slice(e, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase) && folded[e + word.Length] == ' ')
                    {
                        var after = e + word.Length;
                        while (after < n && folded[after] == ' ')
                        {
                            after++;
                        }
                        if (after < n && char.IsAsciiLetterOrDigit(folded[after]))
                        {
                            consumed = after - r;
                            sign = s;
                            break;
                        }
                    }
                }
            }
            else if (c is '。' or '｡' && w > 0 && char.IsAsciiLetterOrDigit(folded[w - 1]) && r + 1 < n && char.IsAsciiLetter(folded[r + 1]))
            {
                consumed = 1;
                sign = '.';
            }
            if (consumed > 0)
            {
                // Spaces around a spelt sign (wang [at] example [dot] com) go with it.
                while (sign != '\0' && c != ' ' && w > 0 && folded[w - 1] == ' ')
                {
                    w--;
                }
                while (c != ' ' && r + consumed < n && folded[r + consumed] == ' ')
                {
                    consumed++;
                }
                folded[w] = sign;
                map[w++] = map[r];
                r += consumed - 1;
                continue;
            }
            folded[w] = c;
            map[w++] = map[r];
        }
        map[w] = map[n];
        return w;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '+';
}
