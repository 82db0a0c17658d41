using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Catalogue;

/// <summary>
/// Lineage on each database, as an owner trying to launder data: a dataset derived from restricted data declared open, a carried
/// personal column declared untagged or tagged more weakly, a source that does not exist. The derived dataset takes the strictest
/// classification and the carried tags, says where it comes from, and the sources' owners see where their data went.
/// </summary>
public sealed class LineageTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private const string Hotline = "hotline-12345-requests";
    private const string HotlineOwner = "ningbo-12345-hotline";
    private const string Villages = "ningbo-villages";
    private const string Deriver = "ningbo-big-data-bureau";

    private static object Derived(string id, string? mobileTag, params string[] sources) => new
    {
        id, title = "热线诉求按村统计", description = "由热线工单与村级区划加工而成", theme = "public-services", classification = "open", license = "CC-BY-4.0",
        updateFrequency = "monthly",
        columns = new object?[]
        {
            new { name = "code", type = "string", title = "村级区划代码" },
            new { name = "callerMobile", type = "string", title = "联系电话", tag = mobileTag },
            new { name = "requests", type = "integer", title = "诉求数" },
        },
        sources,
    };

    [DatabaseTheory, OnEachDatabase]
    public async Task A_derived_dataset_takes_its_sources_strictest_classification_and_carried_tags_and_says_where_it_came_from(string db)
    {
        var host = await hosts.GetAsync(db);
        var deriver = host.As(Deriver, "datasets:write", "catalogue:read", "tenant:admin");

        // Laundering refused: a carried personal column tagged otherwise; a source that does not exist; itself as a source.
        var weaker = await deriver.PostAsJsonAsync("/v1/datasets", Derived("laundered-" + db, "public", Hotline, Villages));
        var problem = await ProblemAssert.IsProblemAsync(weaker, HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("carries 'pii.phone' from its source 'hotline-12345-requests'", problem["errors"]!["columns[1].tag"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await deriver.PostAsJsonAsync("/v1/datasets", Derived("orphan-" + db, null, "no-such-dataset")), HttpStatusCode.BadRequest, "request.validation");
        await ProblemAssert.IsProblemAsync(await deriver.PostAsJsonAsync("/v1/datasets", Derived("self-" + db, null, "self-" + db)), HttpStatusCode.BadRequest, "request.validation");
        Assert.Equal(HttpStatusCode.NotFound, (await deriver.GetAsync($"/v1/datasets/laundered-{db}")).StatusCode);

        // Declared open and untagged: it is restricted, and its mobile column carries the source's tag.
        var id = "hotline-by-village-" + db;
        var created = await deriver.PostAsJsonAsync("/v1/datasets", Derived(id, null, Hotline, Villages));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var dataset = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{id}"));
        Assert.Equal("restricted", dataset["classification"]!.GetValue<string>());
        var mobile = dataset["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "callerMobile")!;
        Assert.Equal("pii.phone", mobile["tag"]!.GetValue<string>());
        Assert.Null(dataset["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "code")!["tag"]);

        // Its lineage, and where the sources' data went, for anyone to read.
        var lineage = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{id}/lineage"));
        Assert.Equal([Hotline, Villages], lineage["sources"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal(HotlineOwner, lineage["sources"]![0]!["owner"]!.GetValue<string>());
        var downstream = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{Hotline}/lineage"));
        Assert.Contains(downstream["derived"]!.AsArray(), d => d!["id"]!.GetValue<string>() == id && d["owner"]!.GetValue<string>() == Deriver);
        await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync("/v1/datasets/no-such-dataset/lineage"), HttpStatusCode.NotFound, "dataset.not_found");

        // The dataset pages say it too, both ways.
        var page = await host.Anonymous().GetStringAsync($"/datasets/{id}");
        Assert.Contains($"data-lineage-source=\"{Hotline}\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-lineage-derived=\"{id}\"", await host.Anonymous().GetStringAsync($"/datasets/{Villages}"), StringComparison.Ordinal);

        // The hotline's owner sees the derivation in its audit; the villages' owner in its own.
        var audit = await PlatformHost.ReadJsonAsync(await host.As(HotlineOwner, "catalogue:read").GetAsync($"/v1/audit?type=dataset.derived&datasetId={Hotline}"));
        var entry = Assert.Single(audit["items"]!.AsArray(), e => e!["subject"]?.GetValue<string>() == id)!;
        Assert.Equal(Deriver, entry["details"]!["by"]!.GetValue<string>());
        Assert.Equal("restricted", entry["details"]!["classification"]!.GetValue<string>());

        // Rows of the derived dataset now need a grant like its source's.
        Assert.Equal("succeeded", (await host.UploadAsync(deriver, id, "code,callerMobile,requests\n330203001001,13800000000,3\n")).GetProperty("status").GetString());
        await ProblemAssert.IsProblemAsync(await host.As("lineage-reader-" + db, "records:read").GetAsync($"/v1/datasets/{id}/records"), HttpStatusCode.Forbidden,
            "access.grant_required");
    }
}
