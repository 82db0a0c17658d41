using System.Globalization;
using System.Text;

using OpenData.Platform.Desensitisation.Transforms;

namespace OpenData.Platform.Seed;

/// <summary>
/// Deterministic demonstration rows (fixed seed): realistic names, mobiles, ID-card numbers with valid check digits,
/// addresses in Ningbo's districts. No real person is behind any of them.
/// </summary>
internal static class DemoData
{
    private static readonly (string Code, string Name)[] Districts =
    [
        ("330203", "海曙区"), ("330205", "江北区"), ("330206", "北仑区"), ("330211", "镇海区"), ("330212", "鄞州区"),
        ("330213", "奉化区"), ("330281", "余姚市"), ("330282", "慈溪市"), ("330226", "宁海县"), ("330225", "象山县"),
    ];

    private static readonly string[] Roads = ["中山路", "解放路", "天童路", "钱湖路", "江东北路", "环城西路", "世纪大道", "民安路", "百丈路", "院士路", "人民路", "新河路"];
    private static readonly string[] Categories = ["城市管理", "交通出行", "环境保护", "住房保障", "市场监管", "社会保障", "教育", "医疗卫生"];
    private static readonly string[] Issues = ["路灯不亮", "噪音扰民", "占道经营", "垃圾未及时清运", "公交班次太少", "停车位不足", "商家拒开发票", "医保报销进度", "学区划分咨询", "违章搭建", "油烟扰民", "共享单车乱停"];
    private static readonly string[] Stations = ["市监测站", "太古小学", "龙赛医院", "万里学院", "钱湖", "北仑区环保站", "镇海区环保站", "慈溪市环保站"];
    private static readonly string[] Pollutants = ["PM2.5", "PM10", "O3", "NO2"];

    /// <summary>CSV of the 12345 hotline demo dataset.</summary>
    public static string HotlineCsv(int rows = 1000, int seed = 12345)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("ticketNo,receivedAt,callerName,callerMobile,callerIdCard,address,district,category,summary,resolved\n");
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 1; i <= rows; i++)
        {
            var (code, district) = Districts[random.Next(Districts.Length)];
            var received = start.AddMinutes(random.Next(0, 60 * 24 * 300));
            var mobile = SyntheticPeople.Mobile(random);
            var address = $"宁波市{district}{Roads[random.Next(Roads.Length)]}{random.Next(1, 999)}号";
            var issue = Issues[random.Next(Issues.Length)];
            // The summary names the district and the issue, never the caller's address or number: a grant that leaves out
            // the address must not find it again in free text. (The draw stays, so every other value is as before.)
            var summary = random.Next(10) == 0 ? $"反映{district}{issue}问题，请回电联系来电人。" : $"反映{district}{issue}问题，希望尽快处理。";
            csv.Append(CultureInfo.InvariantCulture, $"NB{received:yyyyMMdd}{i:00000},{received:yyyy-MM-dd'T'HH:mm:ss'Z'},{SyntheticPeople.Name(random)},{mobile},{SyntheticPeople.IdCard(random, code)},{address},{district},{Categories[random.Next(Categories.Length)]},\"{summary}\",{(random.Next(5) == 0 ? "false" : "true")}\n");
        }
        return csv.ToString();
    }

    private static readonly string[] FoodCategories = ["餐饮服务", "食品销售", "单位食堂", "网络餐饮", "预包装食品销售"];
    private static readonly string[] Shops = ["老宁波", "甬城", "三江口", "东钱湖", "天一", "月湖", "鼓楼", "南塘"];
    private static readonly string[] ShopKinds = ["面馆", "小吃店", "超市", "便利店", "酒家", "烘焙坊", "茶餐厅", "食堂"];

    /// <summary>
    /// CSV of the open food-business licences demo dataset. The legal representative and the contact phone are tagged (masked for
    /// the public); remarks never repeat them.
    /// </summary>
    public static string FoodLicencesCsv(int rows = 600, int seed = 315)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("licenceNo,businessName,legalRepresentative,contactPhone,address,district,category,issuedOn,validUntil,remark\n");
        var start = new DateOnly(2021, 1, 1);
        for (var i = 1; i <= rows; i++)
        {
            var (code, district) = Districts[random.Next(Districts.Length)];
            var issued = start.AddDays(random.Next(0, 365 * 5));
            var mobile = SyntheticPeople.Mobile(random);
            var remark = random.Next(12) == 0 ? "变更经营场所" : random.Next(3) == 0 ? "延续换证" : "";
            csv.Append(CultureInfo.InvariantCulture,
                $"JY{code}{i:000000},{Shops[random.Next(Shops.Length)]}{ShopKinds[random.Next(ShopKinds.Length)]}（{district}{i}号店）,{SyntheticPeople.Name(random)},{mobile},宁波市{district}{Roads[random.Next(Roads.Length)]}{random.Next(1, 999)}号,{district},{FoodCategories[random.Next(FoodCategories.Length)]},{issued:yyyy-MM-dd},{issued.AddYears(5):yyyy-MM-dd},{remark}\n");
        }
        return csv.ToString();
    }

    /// <summary>CSV of the daily air-quality demo dataset.</summary>
    public static string AirQualityCsv(int days = 365, int seed = 2026)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("date,station,district,aqi,pm25,primaryPollutant,exceedsStandard\n");
        var start = new DateOnly(2025, 1, 1);
        for (var day = 0; day < days; day++)
        {
            foreach (var (station, index) in Stations.Select((s, i) => (s, i)))
            {
                var aqi = 20 + random.Next(0, 160);
                var pm25 = Math.Round(aqi * 0.55m + (decimal)random.NextDouble() * 8m, 1);
                var pollutant = aqi <= 50 ? "" : Pollutants[random.Next(Pollutants.Length)];
                csv.Append(CultureInfo.InvariantCulture, $"{start.AddDays(day):yyyy-MM-dd},{station},{Districts[index % Districts.Length].Name},{aqi},{pm25},{pollutant},{(aqi > 100 ? "true" : "false")}\n");
            }
        }
        return csv.ToString();
    }
}
