using System.Globalization;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Desensitisation.Transforms;

namespace OpenData.Tests.Sandbox;

/// <summary>
/// A made-up "real" table for the twin tests (deterministic): personal columns, districts and a category that depends on the
/// district, rare categories (fewer than 10 rows), numbers, dates, booleans and NULLs.
/// </summary>
internal static class RealTable
{
    public static readonly string[] Districts = ["海曙区", "江北区", "北仑区", "镇海区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"];
    public static readonly double[] DistrictWeights = [0.20, 0.12, 0.10, 0.08, 0.18, 0.06, 0.09, 0.09, 0.04, 0.04];
    public static readonly string[] RareDistricts = ["稀有区甲", "稀有区乙", "稀有区丙"];
    public static readonly string[] Categories = ["噪声扰民", "道路破损", "垃圾清运", "占道经营", "违章停车", "供水问题", "物业纠纷", "其他"];
    public static readonly string[] AreaCodes = ["330203", "330205", "330206", "330212", "330281"];
    public static readonly double[] AreaWeights = [0.35, 0.25, 0.15, 0.15, 0.10];
    public const string RareAreaCode = "330226";

    public static readonly IReadOnlyList<ColumnDefinition> Columns =
    [
        Column(0, "name", ColumnType.String, "pii.name"),
        Column(1, "phone", ColumnType.String, "pii.phone"),
        Column(2, "id_card", ColumnType.String, "pii.id_card"),
        Column(3, "address", ColumnType.String, "pii.address"),
        Column(4, "district", ColumnType.String, null),
        Column(5, "category", ColumnType.String, null),
        Column(6, "amount", ColumnType.Decimal, null),
        Column(7, "received", ColumnType.Date, null),
        Column(8, "resolved", ColumnType.Boolean, null),
        Column(9, "email", ColumnType.String, "pii.email"),
        Column(10, "bank_card", ColumnType.String, "pii.bank_card"),
        Column(11, "case_no", ColumnType.String, null),
        Column(12, "gender", ColumnType.String, "person.gender"),
        Column(13, "age", ColumnType.Integer, "num.age"),
    ];

    public static ColumnDefinition Column(int position, string name, ColumnType type, string? tag) => new(position, name, type, name, null, tag);

    public static List<object?[]> Rows(int count, int seed = 16)
    {
        var random = new Random(seed);
        var rows = new List<object?[]>(count);
        for (var i = 0; i < count; i++)
        {
            // Three rare districts of 5 rows each, and 6 ID cards on a rare area code.
            var district = i < 15 ? RareDistricts[i / 5] : Districts[Pick(random, DistrictWeights)];
            var districtIndex = Array.IndexOf(Districts, district);
            // The category depends on the district: each district prefers "its" category (a real association).
            var category = random.NextDouble() < 0.5 && districtIndex >= 0 ? Categories[districtIndex % Categories.Length] : Categories[random.Next(Categories.Length)];
            var area = i is >= 20 and < 26 ? RareAreaCode : AreaCodes[Pick(random, AreaWeights)];
            var id = SyntheticPeople.IdCard(random, area);
            var year = int.Parse(id.AsSpan(6, 4), CultureInfo.InvariantCulture);
            var body = "62" + random.NextInt64(100_000_000_000_000, 999_999_999_999_999).ToString(CultureInfo.InvariantCulture) + "0";
            var card = body[..^1] + LuhnDigit(body[..^1]);
            rows.Add(
            [
                SyntheticPeople.Name(random),
                SyntheticPeople.Mobile(random),
                id,
                "浙江省宁波市" + (districtIndex >= 0 ? district : "海曙区") + "中山路" + random.Next(1, 999).ToString(CultureInfo.InvariantCulture) + "号" + random.Next(1, 30).ToString(CultureInfo.InvariantCulture) + "室",
                district,
                category,
                random.Next(20) == 0 ? null : Math.Round(Math.Exp(4 + random.NextDouble() * 3), 2),
                new DateOnly(2024, 1, 1).AddDays(random.Next(366)),
                random.Next(50) == 0 ? null : random.Next(5) != 0,
                "u" + i.ToString(CultureInfo.InvariantCulture) + "@mail.example.net",
                card,
                "NB2024" + i.ToString("000000", CultureInfo.InvariantCulture),
                int.Parse(id.AsSpan(16, 1), CultureInfo.InvariantCulture) % 2 == 1 ? "男" : "女",
                (long)(2025 - year),
            ]);
        }
        return rows;
    }

    private static int Pick(Random random, double[] weights)
    {
        var u = random.NextDouble();
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    private static char LuhnDigit(string body)
    {
        for (var check = '0'; check <= '9'; check++)
        {
            var digits = (body + check).Select(c => (byte)(c - '0')).ToArray();
            if (PiiScanner.Luhn(digits))
            {
                return check;
            }
        }
        throw new InvalidOperationException("No Luhn digit.");
    }
}
