using System.Buffers;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// Finds street addresses in free text (folded by <see cref="TextFold"/>): a road (…路, …街, …巷, …弄, …村, 大道, 胡同) or an estate
/// (…小区, …花园, …苑, …大厦) followed by a house number (12号, 123弄4号, 3幢) and any building, unit and room after it
/// (2单元501室), with the divisions written just before it. Each becomes its district as written (<c>宁波市海曙区</c>), the city
/// when no county is named, or <see cref="Unknown"/> when no division is.
/// </summary>
internal static class AddressFinder
{
    /// <summary>What an address becomes when the text names no division before it.</summary>
    public const string Unknown = "[地址]";

    private const int NameWindow = 12;
    private const int LongestRoadName = 6;

    private static readonly SearchValues<char> HouseMarks = SearchValues.Create("号弄幢栋座");

    private static readonly string[] Roads = ["大道", "大街", "胡同", "路", "街", "巷", "弄", "村"];

    private static readonly string[] Estates = ["小区", "花园", "公寓", "家园", "新村", "大厦", "苑"];

    private static readonly string[] Units = ["号楼", "单元", "号", "弄", "幢", "栋", "座", "室", "楼", "层", "户"];

    // Words that end the text before a road name: verbs and particles (反映, 住在, 位于, 送至…), never part of a road's name.
    private static readonly SearchValues<char> Stops = SearchValues.Create("在住于至到往从近为是映称址的与及请电话送寄收发搬迁位处经沿附");

    public static void Find(ReadOnlySpan<char> text, List<PiiHit> hits, bool whole)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOfAny(HouseMarks);
            if (found < 0)
            {
                return;
            }
            var mark = from + found;
            from = mark + 1;
            if (mark == 0 || !IsNumberChar(text[mark - 1]))
            {
                continue;
            }
            var number = mark;
            while (number > 0 && (IsNumberChar(text[number - 1]) || (text[number - 1] == '-' && number - 1 > 0 && IsNumberChar(text[number - 2]))))
            {
                number--;
            }
            var suffixEnd = number > 0 && text[number - 1] == ' ' ? number - 1 : number;
            var estate = text[mark] is not ('号' or '弄');
            var suffix = SuffixBefore(text, suffixEnd, estate ? Estates : Roads);
            if (suffix == 0 && text[mark] == '号')
            {
                // 阳光小区3号楼: an estate's building numbered with 号.
                suffix = SuffixBefore(text, suffixEnd, Estates);
            }
            if (suffix == 0)
            {
                continue;
            }
            var nameEnd = suffixEnd - suffix;
            var (start, district) = Start(text, nameEnd);
            if (start < 0)
            {
                continue;
            }
            var end = Extend(text, mark + 1);
            if (!PiiScanner.Overlaps(hits, start, end))
            {
                hits.Add(new PiiHit(PiiKind.Address, start, end, whole ? Unknown : district ?? Unknown));
            }
            from = end;
        }
    }

    private static int SuffixBefore(ReadOnlySpan<char> text, int end, string[] suffixes)
    {
        foreach (var suffix in suffixes)
        {
            if (end >= suffix.Length && text[..end].EndsWith(suffix, StringComparison.Ordinal))
            {
                // 街道 is a township, not a street.
                return suffix == "街" && end >= 2 && text[end - 2] == '道' ? 0 : suffix.Length;
            }
        }
        return 0;
    }

    /// <summary>
    /// Where the address starts: the division chain written before the road (浙江省宁波市海曙区, a township such as 南门街道
    /// between them passed over) and its text; without one, the road name's first character and no district. -1 when the road has no name.
    /// </summary>
    private static (int Start, string? District) Start(ReadOnlySpan<char> text, int nameEnd)
    {
        var stop = nameEnd;
        while (stop > 0 && nameEnd - stop < NameWindow && IsNameChar(text[stop - 1]))
        {
            stop--;
        }
        if (stop == nameEnd)
        {
            return (-1, null);
        }
        var names = DivisionNames.Shared;
        for (var q = nameEnd - 1; q > stop; q--)
        {
            if (!names.TryMatchEndingAt(text, q, out var division, out var length))
            {
                continue;
            }
            var chainStart = q - length;
            while (names.TryMatchEndingAt(text, chainStart, out var above, out var aboveLength) && above.Holds(division))
            {
                division = above;
                chainStart -= aboveLength;
            }
            return (chainStart, text[chainStart..q].ToString());
        }
        return (Math.Max(stop, nameEnd - LongestRoadName), null);
    }

    /// <summary>The end of the house number's tail: more numbers with their units (3幢2单元501室, 12-3号).</summary>
    private static int Extend(ReadOnlySpan<char> text, int end)
    {
        if (end < text.Length && text[end] == '楼' && text[end - 1] == '号')
        {
            end++;
        }
        while (end < text.Length)
        {
            var p = end;
            if (text[p] is ' ' or '-' or ',' or '，')
            {
                p++;
            }
            var q = p;
            while (q < text.Length && (IsNumberChar(text[q]) || char.IsAsciiLetterUpper(text[q]) || (text[q] == '-' && q > p)))
            {
                q++;
            }
            if (q == p)
            {
                break;
            }
            var unit = 0;
            foreach (var u in Units)
            {
                if (text[q..].StartsWith(u, StringComparison.Ordinal))
                {
                    unit = u.Length;
                    break;
                }
            }
            if (unit == 0)
            {
                break;
            }
            end = q + unit;
        }
        return end;
    }

    private static bool IsNumberChar(char c) => char.IsAsciiDigit(c) || c is '一' or '二' or '三' or '四' or '五' or '六' or '七' or '八' or '九' or '十' or '〇' or '零' or '两';

    private static bool IsNameChar(char c) => c is >= '\u4E00' and <= '\u9FFF' && !Stops.Contains(c);
}
