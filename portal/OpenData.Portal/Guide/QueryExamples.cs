namespace OpenData.Portal.Guide;

/// <summary>
/// The query language's examples on the guide's page, on the seeded open datasets (villages: text codes; air quality: dates,
/// integers, decimals, booleans; food licences: dates and a column written in double quotes). A test runs every one of them
/// against the real host on each store and wants 200 with rows.
/// </summary>
internal static class QueryExamples
{
    public const string Villages = "ningbo-villages";
    public const string AirQuality = "ningbo-air-quality-daily";
    public const string FoodLicences = "ningbo-food-business-licences";

    public static readonly IReadOnlyList<QueryExample> All =
    [
        new("TextEquals", Villages, [("where", "areaCode = '330212'"), ("limit", "5")]),
        new("Like", Villages, [("select", "code,name"), ("where", "name like '%村委会'"), ("limit", "5")]),
        new("InAndNot", Villages, [("select", "code,name,areaCode"), ("where", "areaCode in ('330203', '330205') and not name like '%社区'"), ("order_by", "code desc"), ("limit", "5")]),
        new("Between", Villages, [("select", "code,name,streetCode"), ("where", "streetCode between '330212001' and '330212005'"), ("limit", "5")]),
        new("NumbersAndBooleans", AirQuality, [("select", "date,station,aqi,exceedsStandard"), ("where", "aqi > 150 and exceedsStandard = true"), ("order_by", "aqi desc"), ("limit", "5")]),
        new("Decimal", AirQuality, [("select", "date,station,pm25"), ("where", "pm25 >= 80.5 or pm25 < 12"), ("order_by", "pm25 desc,date"), ("limit", "5")]),
        new("Dates", AirQuality, [("where", "date between date'2025-03-01' and date'2025-03-07' and station = '市监测站'"), ("order_by", "date")]),
        new("IsNull", AirQuality, [("select", "date,station,aqi,primaryPollutant"), ("where", "primaryPollutant is null"), ("limit", "5")]),
        new("QuotedName", FoodLicences, [("select", "licenceNo,businessName,district,issuedOn"), ("where", "\"district\" = '鄞州区' and issuedOn >= '2025-01-01'"), ("order_by", "issuedOn desc"), ("limit", "5")]),
        new("Grouping", FoodLicences, [("select", "licenceNo,category,validUntil,remark"), ("where", "(category = '网络餐饮' or category = '单位食堂') and remark is not null and validUntil < date'2027-01-01'"), ("limit", "5")]),
    ];
}
