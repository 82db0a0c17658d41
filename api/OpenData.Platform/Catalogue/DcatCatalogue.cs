using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OpenData.Platform.Catalogue;

/// <summary>The catalogue as DCAT-AP JSON-LD, so national portals and harvesters (CKAN, data.europa.eu style) can read it.</summary>
internal static class DcatCatalogue
{
    public const string ContentType = "application/ld+json";

    public static async Task<IResult> GetAsync(CatalogueStore store, HttpRequest request, CancellationToken cancellationToken)
    {
        var baseUrl = Common.PublicUrl.Base(request);
        var organisations = (await store.OrganisationsAsync(cancellationToken)).ToDictionary(o => o.Id);
        var themes = (await store.ThemesAsync(cancellationToken)).ToDictionary(t => t.Id);
        var datasets = new JsonArray();
        string? after = null;
        while (true)
        {
            var (rows, more) = await store.SearchAsync(new DatasetSearch(null, null, null, null, null, null), after, 500, cancellationToken);
            foreach (var row in rows)
            {
                datasets.Add(Dataset(row, organisations, themes, baseUrl));
            }
            if (!more)
            {
                break;
            }
            after = rows[^1].Id;
        }
        var catalogue = new JsonObject
        {
            ["@context"] = new JsonObject
            {
                ["dcat"] = "http://www.w3.org/ns/dcat#",
                ["dct"] = "http://purl.org/dc/terms/",
                ["foaf"] = "http://xmlns.com/foaf/0.1/",
                ["vcard"] = "http://www.w3.org/2006/vcard/ns#",
                ["xsd"] = "http://www.w3.org/2001/XMLSchema#",
                ["skos"] = "http://www.w3.org/2004/02/skos/core#",
            },
            ["@id"] = $"{baseUrl}/v1/catalogue/dcat",
            ["@type"] = "dcat:Catalog",
            ["dct:title"] = Lang("公共数据开放平台", "OpenData public data platform"),
            ["dct:description"] = Lang("政务部门开放数据资源目录", "The catalogue of datasets published by government departments"),
            ["foaf:homepage"] = new JsonObject { ["@id"] = baseUrl + "/" },
            ["dcat:themeTaxonomy"] = new JsonArray(themes.Values.Select(t => (JsonNode)new JsonObject
            {
                ["@id"] = $"{baseUrl}/v1/themes#{t.Id}",
                ["@type"] = "skos:Concept",
                ["skos:prefLabel"] = Lang(t.Name, t.NameEn),
            }).ToArray()),
            ["dcat:dataset"] = datasets,
        };
        return Results.Text(catalogue.ToJsonString(), ContentType, System.Text.Encoding.UTF8);
    }

    private static JsonObject Dataset(DatasetRow row, Dictionary<string, Organisation> organisations, Dictionary<string, Theme> themes, string baseUrl)
    {
        var links = CatalogueEndpoints.LinksFor(row.Id, baseUrl);
        var publisher = organisations.TryGetValue(row.OwnerId, out var o)
            ? new JsonObject { ["@id"] = $"{baseUrl}/v1/organisations#{o.Id}", ["@type"] = "foaf:Organization", ["foaf:name"] = Lang(o.Name, o.NameEn) }
            : new JsonObject { ["@id"] = $"{baseUrl}/v1/organisations#{row.OwnerId}", ["@type"] = "foaf:Organization" };
        var dataset = new JsonObject
        {
            ["@id"] = links.Self,
            ["@type"] = "dcat:Dataset",
            ["dct:identifier"] = row.Id,
            ["dct:title"] = Text(row.Title, row.TitleEn),
            ["dct:description"] = Text(row.Description, row.DescriptionEn),
            ["dct:publisher"] = publisher,
            ["dct:issued"] = Date(row.CreatedAt),
            ["dct:modified"] = Date(row.UpdatedAt),
            ["dct:accessRights"] = row.Classification switch
            {
                "open" => "PUBLIC",
                "restricted" => "RESTRICTED",
                _ => "NON_PUBLIC",
            },
            ["dct:accrualPeriodicity"] = row.UpdateFrequency,
            ["dcat:landingPage"] = new JsonObject { ["@id"] = links.Self },
            ["dcat:distribution"] = new JsonArray(
                Distribution(links.Records, "JSON", "application/json", row),
                Distribution(links.ExportCsv, "CSV", "text/csv", row),
                Distribution(links.ExportNdjson, "NDJSON", "application/x-ndjson", row)),
        };
        if (themes.TryGetValue(row.ThemeId, out var theme))
        {
            dataset["dcat:theme"] = new JsonObject { ["@id"] = $"{baseUrl}/v1/themes#{theme.Id}" };
            dataset["dcat:keyword"] = new JsonArray(theme.Name, theme.NameEn);
        }
        return dataset;
    }

    private static JsonObject Distribution(string url, string format, string mediaType, DatasetRow row) => new()
    {
        ["@type"] = "dcat:Distribution",
        ["dct:title"] = Text($"{row.Title} ({format})", row.TitleEn is null ? null : $"{row.TitleEn} ({format})"),
        ["dcat:accessURL"] = new JsonObject { ["@id"] = url },
        ["dcat:downloadURL"] = new JsonObject { ["@id"] = url },
        ["dcat:mediaType"] = mediaType,
        ["dct:format"] = format,
        ["dct:license"] = row.License,
    };

    private static JsonArray Lang(string zh, string en) =>
        new(new JsonObject { ["@value"] = zh, ["@language"] = "zh" }, new JsonObject { ["@value"] = en, ["@language"] = "en" });

    /// <summary>
    /// A dataset's text as DCAT wants it: both language-tagged literals when the owner gave English; the catalogue's text as a
    /// plain literal when not (an owner may have written it in any language, so no tag is claimed); English alone when the
    /// catalogue's text is empty.
    /// </summary>
    private static JsonNode Text(string catalogue, string? english) => (catalogue.Length, english) switch
    {
        (_, null) => JsonValue.Create(catalogue),
        (0, _) => new JsonArray(new JsonObject { ["@value"] = english, ["@language"] = "en" }),
        _ => Lang(catalogue, english),
    };

    private static JsonObject Date(DateTimeOffset at) =>
        new() { ["@value"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), ["@type"] = "xsd:dateTime" };
}
