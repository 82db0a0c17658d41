using System.Globalization;
using OpenData.Platform.Desensitisation;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// Made-up personal values in the shapes real ones are written, drawn from a <see cref="TwinRandom"/>: Chinese names, mobiles on
/// real carrier prefixes, ID-card numbers with valid check characters, addresses, e-mails on reserved domains, Luhn-valid bank
/// cards. The pools are larger than the platform's <c>SyntheticPeople</c> (which the demo seed draws from), so a twin of the demo
/// data still finds names no real row holds.
/// </summary>
internal static class SyntheticValues
{
    public static readonly string Surnames =
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

    public static readonly string GivenChars =
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玲波宇浩凯鹏飞欣怡婷雪琳晨阳博睿思雨萱梓涵子轩嘉俊天佑家豪志远" +
        "海峰立新春燕美兰玉梅红云晓东永健诗悦欢佳颖慧珊倩蕾蓉晴宏亮斌彬鑫森林炜毅诚恒铭皓然昊旭泽航晟楠瑞祥福安康乐宁静怡然" +
        "锦程鸿远若溪沐清逸凡景行之墨言知书语默承志弘毅雅琴韵";

    /// <summary>Mobile number segments (号段) the carriers really issue.</summary>
    public static readonly int[] MobilePrefixes =
    [
        130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 145, 147, 149, 150, 151, 152, 153, 155, 156, 157, 158, 159, 162, 165, 166, 167,
        170, 171, 172, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 195, 196, 197, 198, 199,
    ];

    /// <summary>Domains reserved for examples (RFC 2606 and the sandbox's own): a sandbox app that sends mail reaches no one.</summary>
    public static readonly string[] EmailDomains = ["example.com", "example.cn", "example.org", "example.net", "mail.example.com"];

    /// <summary>Issuer numbers (BIN) of common UnionPay debit cards, the fallback when the real column shows none often enough.</summary>
    public static readonly int[] BankPrefixes = [622202, 621700, 622848, 621661, 622588, 622908, 621226, 622700];

    private static readonly string[] Syllables =
    [
        "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin",
        "luo", "gao", "wei", "fang", "na", "min", "jing", "qiang", "lei", "jun", "yong", "jie", "tao", "ming", "chao", "xia", "ping",
        "hua", "jian", "guo", "wen", "hui", "ling", "bo", "yu", "hao", "kai", "peng", "fei", "xin", "yi", "ting", "xue", "chen", "rui",
    ];

    private static readonly string[] RoadStems =
    [
        "和平", "建设", "文化", "胜利", "光明", "幸福", "团结", "育才", "兴业", "长春", "翠柏", "青松", "丽园", "望湖", "鼓楼", "云霞",
        "桂芳", "春晖", "秋实", "雅戈", "明珠", "金穗", "银杏", "梧桐", "清泉", "星光", "朝阳", "锦绣", "泰安", "康宁", "永丰", "庆丰",
    ];

    private static readonly string[] RoadKinds = ["路", "街", "大道", "巷", "中路", "北路", "南路", "东路", "西路"];

    public static string Name(TwinRandom random, char surname, int length)
    {
        Span<char> name = stackalloc char[Math.Clamp(length, 2, 4)];
        name[0] = surname;
        for (var i = 1; i < name.Length; i++)
        {
            name[i] = GivenChars[random.Next(GivenChars.Length)];
        }
        return new string(name);
    }

    public static string Mobile(TwinRandom random, int prefix)
    {
        Span<char> digits = stackalloc char[11];
        prefix.TryFormat(digits, out _, "000", CultureInfo.InvariantCulture);
        for (var i = 3; i < 11; i++)
        {
            digits[i] = random.Digit();
        }
        return new string(digits);
    }

    /// <summary>An 18-character ID-card number: the area code, a birth date in <paramref name="year"/>, a sequence, the check character.</summary>
    public static string IdCard(TwinRandom random, int areaCode, int year)
    {
        var days = DateTime.IsLeapYear(year) ? 366 : 365;
        var birth = new DateOnly(year, 1, 1).AddDays(random.Next(days));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        if (birth > today)
        {
            birth = today.AddDays(-random.Next(1, 365));
        }
        return IdCard(random, areaCode, birth);
    }

    public static string IdCard(TwinRandom random, int areaCode, DateOnly birth)
    {
        Span<char> id = stackalloc char[18];
        areaCode.TryFormat(id, out _, "000000", CultureInfo.InvariantCulture);
        birth.TryFormat(id[6..], out _, "yyyyMMdd", CultureInfo.InvariantCulture);
        id[14] = random.Digit();
        id[15] = random.Digit();
        id[16] = random.Digit();
        id[17] = PiiScanner.IdCheckCharacter(id[..17]);
        return new string(id);
    }

    /// <summary>A street address inside the division <paramref name="code"/>: its names as written, a made-up road and a house number.</summary>
    public static string Address(TwinRandom random, string code)
    {
        var road = RoadStems[random.Next(RoadStems.Length)] + RoadKinds[random.Next(RoadKinds.Length)];
        var number = random.Next(1, 1000).ToString(CultureInfo.InvariantCulture) + "号";
        var rest = random.Next(3) == 0
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 30)}幢{random.Next(1, 6)}单元{random.Next(1, 30)}{random.Next(1, 5):00}室");
        return DivisionTable.Shared.Chain(code) + road + number + rest;
    }

    public static string Email(TwinRandom random)
    {
        var local = Syllables[random.Next(Syllables.Length)] + (random.Next(2) == 0 ? "." : "") + Syllables[random.Next(Syllables.Length)]
            + random.Next(1, 10_000).ToString(CultureInfo.InvariantCulture);
        return local + "@" + EmailDomains[random.Next(EmailDomains.Length)];
    }

    /// <summary>A card number of <paramref name="length"/> digits starting with the issuer number <paramref name="bin"/>, its last digit the Luhn check.</summary>
    public static string BankCard(TwinRandom random, int bin, int length)
    {
        length = Math.Clamp(length, 16, 19);
        Span<char> card = stackalloc char[length];
        bin.TryFormat(card, out _, "000000", CultureInfo.InvariantCulture);
        for (var i = 6; i < length - 1; i++)
        {
            card[i] = random.Digit();
        }
        card[^1] = LuhnCheck(card[..^1]);
        return new string(card);
    }

    /// <summary>The digit that makes <paramref name="body"/> and it pass Luhn.</summary>
    public static char LuhnCheck(ReadOnlySpan<char> body)
    {
        var sum = 0;
        var doubled = true;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            var v = body[i] - '0';
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
        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>A point drawn evenly inside the 0.01° grid cell <paramref name="cell"/> (see <see cref="PointCell"/>).</summary>
    public static string Point(TwinRandom random, long cell, int decimals)
    {
        var lat = ((cell >> 32) + random.NextDouble()) / 100.0;
        var lon = ((int)(cell & 0xFFFFFFFF) + random.NextDouble()) / 100.0;
        var format = "F" + Math.Clamp(decimals, 3, 6).ToString(CultureInfo.InvariantCulture);
        return lat.ToString(format, CultureInfo.InvariantCulture) + "," + lon.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>The 0.01° grid cell of a "latitude,longitude" text (latitude × 100 in the high word), or null when it is not one.</summary>
    public static long? PointCell(string text, out int decimals)
    {
        decimals = 0;
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0
            || !double.TryParse(text.AsSpan(0, comma), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            || !double.TryParse(text.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            || lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            return null;
        }
        var dot = text.LastIndexOf('.');
        decimals = dot > comma ? text.Length - dot - 1 : 0;
        return ((long)Math.Floor(lat * 100) << 32) | (uint)(int)Math.Floor(lon * 100);
    }
}
