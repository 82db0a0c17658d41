using System.Globalization;
using OpenData.Platform.Desensitisation;

namespace OpenData.Sandbox.Twins;

/// <summary>
/// The sandbox's test personas (like a payment sandbox's test cards): eight citizens and four enterprises of Ningbo with fixed,
/// made-up values — ID numbers with valid check characters on Ningbo area codes, mobiles on the 199 segment, e-mails on
/// example.com, Luhn-valid bank cards, credit codes with valid check characters. They are the first rows of every twin where
/// the schema fits (docs/sandbox.md lists them), so a developer can look the same person up in every dataset.
/// </summary>
internal static class Personas
{
    public static readonly IReadOnlyList<Persona> Citizens =
    [
        Citizen("p1", "沙盒一", "男", new DateOnly(1980, 1, 15), "330203", "001", "19900000001", "persona1@example.com", "海曙区", "中山西路", "1号", "622202000000000001"),
        Citizen("p2", "沙盒二", "女", new DateOnly(1985, 2, 20), "330205", "002", "19900000002", "persona2@example.com", "江北区", "人民路", "2号", "622202000000000002"),
        Citizen("p3", "沙盒三", "男", new DateOnly(1990, 3, 25), "330206", "003", "19900000003", "persona3@example.com", "北仑区", "明州路", "3号", "622202000000000003"),
        Citizen("p4", "沙盒四", "女", new DateOnly(1995, 4, 10), "330211", "004", "19900000004", "persona4@example.com", "镇海区", "骆驼街", "4号", "622202000000000004"),
        Citizen("p5", "沙盒五", "男", new DateOnly(1970, 5, 5), "330212", "005", "19900000005", "persona5@example.com", "鄞州区", "天童南路", "5号", "622202000000000005"),
        Citizen("p6", "沙盒六", "女", new DateOnly(1962, 6, 30), "330213", "006", "19900000006", "persona6@example.com", "奉化区", "南山路", "6号", "622202000000000006"),
        Citizen("p7", "沙盒七", "男", new DateOnly(2000, 7, 1), "330281", "007", "19900000007", "persona7@example.com", "余姚市", "阳明西路", "7号", "622202000000000007"),
        Citizen("p8", "沙盒八", "女", new DateOnly(2004, 8, 8), "330282", "008", "19900000008", "persona8@example.com", "慈溪市", "新城大道", "8号", "622202000000000008"),
    ];

    public static readonly IReadOnlyList<PersonaEnterprise> Enterprises =
    [
        Enterprise("e1", "宁波沙盒示例科技有限公司", "330203", "MA2H0001", Citizens[0], "19900000101", "e1@example.com", "海曙区", "药行街", "101号", "622202000000001011"),
        Enterprise("e2", "宁波沙盒示例贸易有限公司", "330212", "MA2H0002", Citizens[1], "19900000102", "e2@example.com", "鄞州区", "宁南南路", "102号", "622202000000001022"),
        Enterprise("e3", "宁波沙盒示例餐饮管理有限公司", "330205", "MA2H0003", Citizens[4], "19900000103", "e3@example.com", "江北区", "大庆南路", "103号", "622202000000001033"),
        Enterprise("e4", "宁波沙盒示例物流有限公司", "330206", "MA2H0004", Citizens[5], "19900000104", "e4@example.com", "北仑区", "长江路", "104号", "622202000000001044"),
    ];

    private static Persona Citizen(string key, string name, string gender, DateOnly birth, string area, string sequence, string mobile,
        string email, string district, string road, string number, string cardBody)
    {
        // The sequence's last digit is odd for a man and even for a woman, as on a real card.
        var first17 = $"{area}{birth:yyyyMMdd}{sequence[..2]}{(gender == "男" ? '1' : '2')}";
        var id = first17 + PiiScanner.IdCheckCharacter(first17.AsSpan());
        var address = DivisionTable.Shared.Chain(area) + road + number;
        var card = cardBody + SyntheticValues.LuhnCheck(cardBody.AsSpan());
        var point = FormattableString.Invariant($"{29.8600 + (0.01 * int.Parse(key[1..], CultureInfo.InvariantCulture)):F4},121.5500");
        return new Persona(key, name, gender, birth, id, mobile, email, district, address, card, point);
    }

    private static PersonaEnterprise Enterprise(string key, string name, string area, string organisation, Persona representative, string phone,
        string email, string district, string road, string number, string accountBody) =>
        new(key, name, CreditCode.Make(area, organisation), representative, phone, email, district, DivisionTable.Shared.Chain(area) + road + number,
            accountBody + SyntheticValues.LuhnCheck(accountBody.AsSpan()));
}
