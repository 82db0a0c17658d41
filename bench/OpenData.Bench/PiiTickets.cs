using System.Globalization;
using System.Text;
using OpenData.Platform.Desensitisation;

namespace OpenData.Bench;

/// <summary>
/// Made-up hotline tickets for the desensitised-page scenario: a name, a mobile and an address in tagged columns, and a free-text
/// note of about 40 Chinese characters that, in one row of four, carries a mobile or an 18-digit ID-card number (valid check digit).
/// </summary>
internal static class PiiTickets
{
    public const string DatasetId = "bench-desensitised";

    public const string Select = "ticket,name,mobile,address,district,note";

    /// <summary>The columns as <c>POST /v1/datasets</c> takes them: three tagged, three untagged (scanned on the way out).</summary>
    public static readonly (string Name, string? Tag)[] Columns =
    [
        ("ticket", null),
        ("name", "pii.name"),
        ("mobile", "pii.phone"),
        ("address", "pii.address"),
        ("district", null),
        ("note", null),
    ];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "秀英", "敏", "静", "磊", "洋", "勇", "艳", "杰", "晓东", "丽", "强"];
    private static readonly string[] Districts = ["海曙区", "江北区", "鄞州区", "北仑区", "镇海区", "奉化区"];
    private static readonly string[] Streets = ["中山东路", "解放南路", "天童南路", "江东北路", "人民路", "新河路", "百丈路", "环城西路"];

    // About 40 characters each; the {0} of the last two is where a mobile or an ID-card number goes.
    private static readonly string[] PlainNotes =
    [
        "居民反映小区夜间施工噪音扰民严重，影响老人和孩子休息，希望有关部门尽快到现场核实处理。",
        "市民来电咨询城乡居民医保缴费时间及办理地点，已告知可通过线上渠道缴纳，市民表示满意。",
        "来电人反映路口红绿灯故障已持续两天，早晚高峰车辆拥堵，存在安全隐患，请交警部门处理。",
        "业主称楼道内长期堆放杂物且有电瓶车充电，存在消防隐患，物业多次劝说无果，请求协调。",
    ];

    private const string MobileNote = "来电人反映所住小区供暖不热，室温偏低，请供热公司尽快上门检修，回电{0}。";
    private const string IdNote = "市民咨询社保卡补办流程，身份证号{0}，请社保窗口协助核实后办理。";

    /// <summary>One generated row, cells in <see cref="Columns"/> order.</summary>
    public sealed record Ticket(string Id, string Name, string Mobile, string Address, string District, string Note, string? Secret);

    public static IReadOnlyList<Ticket> Make(int count)
    {
        var rows = new List<Ticket>(count);
        for (var i = 0; i < count; i++)
        {
            var district = Districts[i % Districts.Length];
            var mobile = "13" + (9 - (i % 7)).ToString(CultureInfo.InvariantCulture) + ((i * 7919L % 90_000_000) + 10_000_000).ToString("D8", CultureInfo.InvariantCulture);
            string? secret = null;
            string note;
            if (i % 4 == 0)
            {
                // Every fourth row: alternately another mobile number or an ID-card number inside the text.
                secret = i % 8 == 0 ? "15" + ((i * 104_729L % 900_000_000) + 100_000_000).ToString("D9", CultureInfo.InvariantCulture) : IdCard(i, district);
                note = string.Format(CultureInfo.InvariantCulture, i % 8 == 0 ? MobileNote : IdNote, secret);
            }
            else
            {
                note = PlainNotes[i % PlainNotes.Length];
            }
            var name = Surnames[i % Surnames.Length] + GivenNames[i * 7 % GivenNames.Length];
            var address = $"浙江省宁波市{district}{Streets[i % Streets.Length]}{(i % 300) + 1}号{(i % 12) + 1}幢{(i % 6) + 1}0{(i % 4) + 1}室";
            rows.Add(new Ticket($"NB-2026-{i + 1:D5}", name, mobile, address, district, note, secret));
        }
        return rows;
    }

    public static string Csv(IEnumerable<Ticket> rows)
    {
        var csv = new StringBuilder(string.Join(',', Columns.Select(c => c.Name))).Append('\n');
        foreach (var t in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{t.Id},{t.Name},{t.Mobile},{t.Address},{t.District},\"{t.Note}\"\n");
        }
        return csv.ToString();
    }

    /// <summary>The cells of a row as the read path holds them before the view: strings in column order.</summary>
    public static object?[] Cells(Ticket t) => [t.Id, t.Name, t.Mobile, t.Address, t.District, t.Note];

    /// <summary>An 18-digit number of a resident of the district's county code, born 1950–1999, with its check character.</summary>
    private static string IdCard(int i, string district)
    {
        var county = 330203 + (Array.IndexOf(Districts, district) * 3);
        var birth = new DateOnly(1950, 1, 1).AddDays(i * 37 % 18_000);
        var first17 = county.ToString(CultureInfo.InvariantCulture) + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (i % 1000).ToString("D3", CultureInfo.InvariantCulture);
        return first17 + PiiScanner.IdCheckCharacter(first17.Select(c => (byte)(c - '0')).ToArray());
    }
}
