using System.Buffers;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// Finds personal names next to cue words in free text (folded by <see cref="TextFold"/>): after 联系人, 姓名, 收件人, 收货人,
/// 户名, 持卡人, 申请人, 负责人, 法定代表人, 经办人 (a colon or 是/为 between allowed), or before 先生, 女士, 师傅, 小姐. A name is a
/// known surname (single or compound) and one or two given characters; it becomes the surname and a fixed <c>**</c>.
/// </summary>
internal static class NameFinder
{
    /// <summary>Single-character surnames common enough to find names by; words that are also common surnames (和, 时, 成…) left out.</summary>
    public static readonly SearchValues<char> Surnames = SearchValues.Create(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
        + "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍华喻祁蒲房滕屈饶牟艾尤穆农卓古吉缪简车项芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝");

    private static readonly string[] CompoundSurnames =
        ["欧阳", "司马", "诸葛", "上官", "东方", "慕容", "皇甫", "尉迟", "长孙", "令狐", "夏侯", "公孙", "宇文", "轩辕", "司徒", "端木", "独孤", "南宫", "西门", "呼延", "申屠", "澹台", "淳于", "钟离", "宗政"];

    // Characters that end a given name: the cue words' own, particles, and the words that usually follow a name (电话, 身份证, 性别…).
    private static readonly SearchValues<char> NotGiven = SearchValues.Create(
        "先女师姐同的了在是和与及电手号说称反来去到已要请联等们也都就还从给对被把将会可不没这那有无路区市省县镇村街楼室单身证邮地住性年男出日期籍民族家户卡");

    /// <summary>True for the last two characters of a cue word (系人 of 联系人, 姓名, 先生…).</summary>
    public static bool IsCue(char before, char tail) => (before, tail) switch
    {
        ('系', '人') or ('件', '人') or ('货', '人') or ('卡', '人') or ('请', '人') or ('责', '人') or ('表', '人') or ('办', '人') => true,
        ('姓', '名') or ('户', '名') => true,
        ('先', '生') or ('女', '士') or ('师', '傅') or ('小', '姐') => true,
        _ => false,
    };

    public static void Find(ReadOnlySpan<char> text, List<PiiHit> hits, bool whole)
    {
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c is not ('人' or '名' or '生' or '士' or '傅' or '姐') || !IsCue(text[i - 1], c))
            {
                continue;
            }
            var (start, surname, end) = c is '人' or '名' ? After(text, i + 1) : Before(text, i - 1);
            if (surname == 0 || PiiScanner.Overlaps(hits, start, end))
            {
                continue;
            }
            hits.Add(new PiiHit(PiiKind.Name, start, end, whole ? "***" : string.Concat(text.Slice(start, surname), "**")));
        }
    }

    /// <summary>A name after a cue: a colon, spaces, 是 or 为 first.</summary>
    private static (int Start, int Surname, int End) After(ReadOnlySpan<char> text, int at)
    {
        var j = at;
        while (j < text.Length && j - at < 3 && text[j] is ':' or ' ' or '\u3000' or '是' or '为')
        {
            j++;
        }
        var surname = SurnameAt(text, j);
        if (surname == 0)
        {
            return default;
        }
        var given = 0;
        while (given < 2 && j + surname + given < text.Length && IsGiven(text[j + surname + given]))
        {
            given++;
        }
        return given == 0 ? default : (j, surname, j + surname + given);
    }

    /// <summary>A name ending just before a form of address: the longest surname and given name that fits.</summary>
    private static (int Start, int Surname, int End) Before(ReadOnlySpan<char> text, int end)
    {
        foreach (var (length, surname) in (ReadOnlySpan<(int, int)>)[(4, 2), (3, 2), (3, 1), (2, 1)])
        {
            var start = end - length;
            if (start < 0 || SurnameAt(text, start) != surname)
            {
                continue;
            }
            var given = true;
            for (var k = start + surname; k < end; k++)
            {
                given &= IsGiven(text[k]);
            }
            // 向王先生 is Mr Wang: after a word that is also a surname (向, 于, 由…), a surname right before the cue is the surname.
            if (given && !(length - surname == 1 && Surnames.Contains(text[end - 1]) && text[start] is '向' or '于' or '由' or '同' or '和' or '给' or '对' or '跟'))
            {
                return (start, surname, end);
            }
        }
        return default;
    }

    private static int SurnameAt(ReadOnlySpan<char> text, int at)
    {
        if (at >= text.Length)
        {
            return 0;
        }
        if (at + 1 < text.Length)
        {
            foreach (var compound in CompoundSurnames)
            {
                if (text[at] == compound[0] && text[at + 1] == compound[1])
                {
                    return 2;
                }
            }
        }
        return Surnames.Contains(text[at]) ? 1 : 0;
    }

    private static bool IsGiven(char c) => c is >= '\u4E00' and <= '\u9FFF' && !NotGiven.Contains(c);
}
