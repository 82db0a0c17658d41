using System.Globalization;
using System.Text;
using OpenData.Platform.Desensitisation;

namespace OpenData.Tests.Infrastructure;

/// <summary>Made-up people with valid ID-card check digits, mobiles and Luhn-valid cards, as CSV for a dataset with tagged columns and a free-text note.</summary>
internal static class PiiRows
{
    public const string Header = "ticket,name,mobile,idCard,address,email,birth,district,note";

    private static readonly string[] Names = ["王小明", "李娜", "张伟", "刘芳", "陈静", "杨洋", "黄磊", "赵敏"];
    private static readonly string[] Districts = ["海曙区", "江北区", "鄞州区", "北仑区"];

    public static object[] Columns =>
    [
        new { name = "ticket", type = "string" },
        new { name = "name", type = "string", tag = "pii.name" },
        new { name = "mobile", type = "string", tag = "pii.phone" },
        new { name = "idCard", type = "string", tag = "pii.id_card" },
        new { name = "address", type = "string", tag = "pii.address" },
        new { name = "email", type = "string", tag = "pii.email" },
        new { name = "birth", type = "date", tag = "date.birth" },
        new { name = "district", type = "string" },
        new { name = "note", type = "string" },
    ];

    public sealed record Person(string Ticket, string Name, string Mobile, string IdCard, string Address, string Email, DateOnly Birth, string District, string Card, string Note);

    public static IReadOnlyList<Person> Make(int count)
    {
        var people = new List<Person>();
        for (var i = 0; i < count; i++)
        {
            var birth = new DateOnly(1960, 1, 1).AddDays(i * 331 % 15000);
            var first17 = "330203" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (100 + i).ToString("D3", CultureInfo.InvariantCulture);
            var idCard = first17 + PiiScanner.IdCheckCharacter(first17.Select(c => (byte)(c - '0')).ToArray());
            var mobile = "13" + (8 - (i % 3)).ToString(CultureInfo.InvariantCulture) + (10_000_000 + (i * 7919)).ToString("D8", CultureInfo.InvariantCulture);
            var card = LuhnComplete("6222" + (100_000_000_000 + (i * 104_729L)).ToString("D12", CultureInfo.InvariantCulture)[..11]);
            var district = Districts[i % Districts.Length];
            var email = $"user{i}.test@example.org";
            var note = (i % 4) switch
            {
                0 => $"来电人身份证号{idCard}，要求回电{mobile}。",
                1 => $"{mobile} 反映噪音扰民，邮箱 {email}",
                2 => $"Caller gave card {card[..4]} {card[4..8]} {card[8..12]} {card[12..]} and ID {idCard[..6]}-{idCard[6..14]}-{idCard[14..]}",
                _ => $"联系方式：{FullWidth(mobile)}（全角）；{email.Replace('@', '＠')}",
            };
            people.Add(new Person($"T{i:D4}", Names[i % Names.Length], mobile, idCard, $"浙江省宁波市{district}中山路{i + 1}号", email, birth, district, card, note));
        }
        return people;
    }

    public static string Csv(IEnumerable<Person> people)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var p in people)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{p.Ticket},{p.Name},{p.Mobile},{p.IdCard},{p.Address},{p.Email},{p.Birth:yyyy-MM-dd},{p.District},\"{p.Note}\"\n");
        }
        return csv.ToString();
    }

    /// <summary>Every raw personal value of the rows, as it would appear if it leaked (digits only for numbers).</summary>
    public static IEnumerable<string> Secrets(IEnumerable<Person> people) =>
        people.SelectMany(p => new[] { p.Mobile, p.IdCard, p.Email, p.Card, p.Address });

    public static string FullWidth(string digits) => new(digits.Select(c => c is >= '0' and <= '9' ? (char)(c + 0xFEE0) : c).ToArray());

    /// <summary>The text with full-width characters folded to ASCII and spaces and dashes removed, so a leaked number shows as its digits.</summary>
    public static string Normalise(string text) =>
        new(text.Select(c => c is >= '！' and <= '～' ? (char)(c - 0xFEE0) : c).Where(c => c is not (' ' or '-')).ToArray());

    private static string LuhnComplete(string fifteen)
    {
        for (var check = 0; check < 10; check++)
        {
            var candidate = fifteen + check.ToString(CultureInfo.InvariantCulture);
            if (PiiScanner.Luhn(candidate.Select(c => (byte)(c - '0')).ToArray()))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("unreachable");
    }
}
