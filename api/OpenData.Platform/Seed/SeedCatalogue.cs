using OpenData.Platform.Catalogue;

namespace OpenData.Platform.Seed;

/// <summary>The organisations, themes and datasets every fresh platform starts with.</summary>
internal static class SeedCatalogue
{
    public static readonly Organisation[] Organisations =
    [
        new("ningbo-big-data-bureau", "宁波市大数据发展管理局", "Ningbo Big Data Development Administration", "https://www.ningbo.gov.cn", null),
        new("ningbo-civil-affairs", "宁波市民政局", "Ningbo Civil Affairs Bureau", "https://www.ningbo.gov.cn", null),
        new("ningbo-12345-hotline", "宁波市12345政务服务热线中心", "Ningbo 12345 Government Service Hotline Centre", "https://www.ningbo.gov.cn", null),
        new("ningbo-ecology-environment", "宁波市生态环境局", "Ningbo Ecology and Environment Bureau", "https://www.ningbo.gov.cn", null),
        new("ningbo-market-supervision", "宁波市市场监督管理局", "Ningbo Administration for Market Regulation", "https://www.ningbo.gov.cn", null),
    ];

    public static readonly Theme[] Themes =
    [
        new("inclusive-finance", "普惠金融", "Inclusive finance"),
        new("transport", "交通出行", "Transport"),
        new("health", "医疗健康", "Health"),
        new("market-supervision", "市场监管", "Market supervision"),
        new("social-security", "社会保障", "Social security"),
        new("culture-tourism", "文化旅游", "Culture and tourism"),
        new("administrative-divisions", "行政区划", "Administrative divisions"),
        new("environment", "生态环境", "Environment"),
        new("public-services", "公共服务", "Public services"),
    ];

    public static readonly NewDataset NingboVillages = new(
        "ningbo-villages",
        "宁波市村级行政区划（社区、行政村）",
        "Villages and communities of Ningbo",
        "宁波市的社区和行政村，及其所属乡镇街道、县（市、区）、地级市和省的统计用区划代码（国家统计局2023年统计用区划代码）。",
        "Villages and communities of Ningbo with the codes of their township or street, county, city and province (National Bureau of Statistics, 2023 statistical division codes).",
        "administrative-divisions",
        "open",
        "CC-BY-4.0",
        "yearly",
        [
            new("code", "string", "村级区划代码 Village code", "12-digit statistical division code", null),
            new("name", "string", "名称 Name", "Name of the village or community", null),
            new("streetCode", "string", "乡镇街道代码 Street code", "9-digit code of the township or street", null),
            new("provinceCode", "string", "省级代码 Province code", null, null),
            new("cityCode", "string", "地级代码 City code", null, null),
            new("areaCode", "string", "县级代码 County code", null, null),
        ]);

    public static readonly NewDataset AirQuality = new(
        "ningbo-air-quality-daily",
        "宁波市空气质量日报",
        "Daily air quality in Ningbo",
        "宁波市各监测站每日的空气质量指数（AQI）、PM2.5浓度和首要污染物（演示数据，由固定种子生成）。",
        "Daily air quality index (AQI), PM2.5 and primary pollutant at Ningbo's monitoring stations (demonstration data generated from a fixed seed).",
        "environment",
        "open",
        "CC-BY-4.0",
        "daily",
        [
            new("date", "date", "日期 Date", null, null),
            new("station", "string", "监测站 Station", null, null),
            new("district", "string", "区县 District", null, null),
            new("aqi", "integer", "空气质量指数 AQI", null, null),
            new("pm25", "decimal", "PM2.5 (µg/m³)", null, null),
            new("primaryPollutant", "string", "首要污染物 Primary pollutant", null, null),
            new("exceedsStandard", "boolean", "是否超标 Exceeds standard", null, null),
        ]);

    public static readonly NewDataset HotlineRequests = new(
        "hotline-12345-requests",
        "12345政务服务热线诉求工单",
        "Requests to the 12345 government service hotline",
        "市民向12345热线提出的诉求工单，含来电人的身份和联系方式（演示数据，由固定种子生成；受限开放：须经批准的数据申请方可读取数据行）。",
        "Citizens' requests to the 12345 hotline with the caller's identity and contact (demonstration data generated from a fixed seed; restricted: rows need an approved access request).",
        "public-services",
        "restricted",
        "Ningbo-Restricted-1.0",
        "daily",
        [
            new("ticketNo", "string", "工单编号 Ticket number", null, null),
            new("receivedAt", "datetime", "受理时间 Received at", null, null),
            new("callerName", "string", "来电人 Caller name", null, "pii.name"),
            new("callerMobile", "string", "联系电话 Mobile", null, "pii.phone"),
            new("callerIdCard", "string", "身份证号 ID card number", null, "pii.id_card"),
            new("address", "string", "诉求地址 Address", null, "pii.address"),
            new("district", "string", "区县 District", null, "geo.district"),
            new("category", "string", "诉求类别 Category", null, null),
            new("summary", "string", "诉求内容 Summary", "Free text as recorded by the operator", null),
            new("resolved", "boolean", "是否办结 Resolved", null, null),
        ]);

    public static readonly NewDataset FoodLicences = new(
        "ningbo-food-business-licences",
        "宁波市食品经营许可证信息",
        "Food business licences in Ningbo",
        "宁波市核发的食品经营许可证：许可证编号、经营者、法定代表人、联系电话、经营场所和有效期（演示数据，由固定种子生成）。法定代表人的姓名和电话对公众脱敏显示。",
        "Food business licences issued in Ningbo: licence number, business, legal representative, contact, address and validity (demonstration data generated from a fixed seed). The representative's name and phone are desensitised for the public.",
        "market-supervision",
        "open",
        "CC-BY-4.0",
        "daily",
        [
            new("licenceNo", "string", "许可证编号 Licence number", null, null),
            // Names like 老宁波面馆（海曙区1号店） look like addresses to the profiler; the owner says they are not personal.
            new("businessName", "string", "经营者名称 Business name", null, "public"),
            new("legalRepresentative", "string", "法定代表人 Legal representative", null, "pii.name"),
            new("contactPhone", "string", "联系电话 Contact phone", null, "pii.phone"),
            new("address", "string", "经营场所 Business address", null, "pii.address"),
            new("district", "string", "区县 District", null, null),
            new("category", "string", "主体业态 Category", null, null),
            new("issuedOn", "date", "发证日期 Issued on", null, null),
            new("validUntil", "date", "有效期至 Valid until", null, null),
            new("remark", "string", "备注 Remark", "Free text as recorded by the licensing officer", null),
        ]);

    public static readonly (NewDataset Dataset, string Owner)[] Datasets =
    [
        (NingboVillages, "ningbo-civil-affairs"),
        (AirQuality, "ningbo-ecology-environment"),
        (HotlineRequests, "ningbo-12345-hotline"),
        (FoodLicences, "ningbo-market-supervision"),
    ];
}
