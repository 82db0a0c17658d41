using System.Globalization;

namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>
/// Made-up people in the shapes real ones are written: common surnames and given names, mobile numbers on real prefixes, identity
/// card numbers with a valid birth date and check character. Synthesis (sandbox twins) and the demo seed both draw from here.
/// </summary>
internal static class SyntheticPeople
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"];
    private static readonly string[] GivenChars = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "辉", "玲", "波"];
    private static readonly string[] MobilePrefixes = ["134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "177", "180", "182", "187", "188", "189", "199"];

    public static string IdCard(Random random, string areaCode)
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(random.Next(0, 365 * 55));
        var first17 = string.Create(CultureInfo.InvariantCulture, $"{areaCode}{birth:yyyyMMdd}{random.Next(0, 1000):000}");
        return first17 + PiiScanner.IdCheckCharacter(first17.AsSpan());
    }

    public static string Mobile(Random random) =>
        MobilePrefixes[random.Next(MobilePrefixes.Length)] + random.Next(0, 100_000_000).ToString("00000000", CultureInfo.InvariantCulture);

    public static string Name(Random random) =>
        Surnames[random.Next(Surnames.Length)] + GivenChars[random.Next(GivenChars.Length)] + (random.Next(3) == 0 ? "" : GivenChars[random.Next(GivenChars.Length)]);
}
