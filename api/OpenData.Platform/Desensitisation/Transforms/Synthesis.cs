using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Desensitisation.Transforms;

/// <summary>
/// Made-up values of the right shape for sandbox callers: names, mobiles, ID-card numbers with valid check digits, addresses,
/// e-mails, card numbers passing Luhn, points near Ningbo, genders, birth dates and ages. Each is derived from an HMAC of the real value,
/// so a value always maps to the same fake (joins still work) and the fake says nothing about the value.
/// </summary>
internal sealed class Synthesis(byte[] key)
{
    private static readonly string[] Districts = ["海曙区", "江北区", "北仑区", "镇海区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"];
    private static readonly string[] Roads = ["中山路", "解放路", "天童路", "四明路", "江东路", "环城路", "人民路", "新华路"];
    private static readonly string[] Regions = ["330203", "330205", "330206", "330211", "330212", "330213", "330281", "330282", "330226", "330225"];

    public object? Make(string tag, ColumnType type, object value)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(value);
        var seed = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(tag + "\0" + Convert.ToString(value, CultureInfo.InvariantCulture)));
        var r = new Random(BitConverter.ToInt32(seed, 0));
        switch (tag)
        {
            // The seed's generators make the same shapes as the demo data: common names, real mobile prefixes, valid ID cards.
            case "pii.name":
                return SyntheticPeople.Name(r);
            case "pii.phone":
                return SyntheticPeople.Mobile(r);
            case "pii.id_card":
                return SyntheticPeople.IdCard(r, Pick(r, Regions));
            case "pii.address":
                return "浙江省宁波市" + Pick(r, Districts) + Pick(r, Roads) + r.Next(1, 400).ToString(CultureInfo.InvariantCulture) + "号";
            case "pii.email":
                return "user" + Digits(r, 6) + "@example.com";
            case "pii.bank_card":
            {
                var body = "62" + Digits(r, 15);
                var digits = body.Select(c => (byte)(c - '0')).Append((byte)0).ToArray();
                for (byte check = 0; check < 10; check++)
                {
                    digits[^1] = check;
                    if (PiiScanner.Luhn(digits))
                    {
                        return body + (char)('0' + check);
                    }
                }
                return body + "0";
            }
            case "date.birth" when type == ColumnType.String:
                return new DateOnly(1950, 1, 1).AddDays(r.Next(20_000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case "person.gender":
                // As the resident register writes it.
                return r.Next(2) == 0 ? "男" : "女";
            case "geo.point":
                return string.Create(CultureInfo.InvariantCulture, $"{29.70 + (r.NextDouble() * 0.35):F4},{121.35 + (r.NextDouble() * 0.35):F4}");
            default:
                return ByType(r, type);
        }
    }

    private static object? ByType(Random r, ColumnType type) => type switch
    {
        ColumnType.Integer => (long)r.Next(18, 81),
        ColumnType.Decimal => (decimal)r.Next(18, 81),
        ColumnType.Boolean => r.Next(2) == 0,
        ColumnType.Date => new DateOnly(1950, 1, 1).AddDays(r.Next(20_000)),
        ColumnType.Datetime => new DateTime(1950, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(r.Next(20_000)),
        _ => "synthetic-" + Digits(r, 8),
    };

    private static string Pick(Random r, string[] items) => items[r.Next(items.Length)];

    private static string Digits(Random r, int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('0' + r.Next(10));
        }
        return new string(chars);
    }
}
