using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Desensitisation;

/// <summary>Profiling at ingestion suggests tags for untagged columns to the owner only; the owner tags a column and the next read obeys.</summary>
public sealed class TagSuggestionTests
{
    [DatabaseTheory, OnEachDatabase]
    public async Task Profiling_suggests_tags_to_the_owner_and_a_tag_applies_on_the_next_read(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner();
        await host.CreateDatasetAsync(owner, "contacts", "open", ("ticket", "string"), ("contact", "string"), ("person", "string"), ("place", "string"), ("remark", "string"));
        var people = PiiRows.Make(30);
        var csv = "ticket,contact,person,place,remark\n" + string.Concat(people.Select(p => $"{p.Ticket},{p.Mobile},{p.Name},{p.Address},ok\n"));
        Assert.Equal("succeeded", (await host.UploadAsync(owner, "contacts", csv)).GetProperty("status").GetString());

        var detail = await PlatformHost.ReadJsonAsync(await owner.GetAsync("/v1/datasets/contacts"));
        var suggested = detail["suggestedTags"]!.AsArray().Select(s => (s!["column"]!.GetValue<string>(), s["tag"]!.GetValue<string>(), s["share"]!.GetValue<double>(), s["sampled"]!.GetValue<int>())).ToList();
        Assert.Equal([("contact", "pii.phone", 1.0, 30), ("person", "pii.name", 1.0, 30), ("place", "pii.address", 1.0, 30)], suggested);

        // Nobody but the owner (and the operator) learns what profiling found.
        Assert.Null((await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/contacts")))["suggestedTags"]);
        Assert.Null((await PlatformHost.ReadJsonAsync(await host.As("someone", "catalogue:read").GetAsync("/v1/datasets/contacts")))["suggestedTags"]);
        Assert.Equal(3, (await PlatformHost.ReadJsonAsync(await host.As("platform", "platform:admin").GetAsync("/v1/datasets/contacts")))["suggestedTags"]!.AsArray().Count);

        // Untagged, the mobile leaves masked by the outbound check, and the column, suspected, cannot be probed with a filter;
        // tagged, it is masked by the policy and cannot be filtered on either.
        await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync($"/v1/datasets/contacts/records?limit=1&where={Uri.EscapeDataString($"contact = '{people[0].Mobile}'")}"),
            HttpStatusCode.BadRequest, "query.column_not_filterable");
        var before = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/contacts/records?limit=1&select=contact"));
        Assert.Equal(people[0].Mobile[..3] + "****" + people[0].Mobile[7..], before["items"]![0]!["contact"]!.GetValue<string>());

        var tagged = await PlatformHost.ReadJsonAsync(await owner.PatchAsJsonAsync("/v1/datasets/contacts/columns/person", new { tag = "pii.name" }));
        Assert.Equal("pii.name", tagged["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "person")!["tag"]!.GetValue<string>());
        Assert.DoesNotContain(tagged["suggestedTags"]!.AsArray(), s => s!["column"]!.GetValue<string>() == "person");
        var after = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/contacts/records?limit=1&select=person"));
        Assert.Equal(people[0].Name[0] + "**", after["items"]![0]!["person"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync($"/v1/datasets/contacts/records?where={Uri.EscapeDataString("person = '王小明'")}"),
            HttpStatusCode.BadRequest, "query.column_not_filterable");

        // Untagging shows it as stored again, but leaves it suspected: not filterable until the owner says what it holds.
        await PlatformHost.ReadJsonAsync(await owner.PatchAsJsonAsync("/v1/datasets/contacts/columns/person", new { tag = (string?)null }));
        var untagged = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/contacts/records?limit=1&select=person"));
        Assert.Equal(people[0].Name, untagged["items"]![0]!["person"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await host.Anonymous().GetAsync($"/v1/datasets/contacts/records?where={Uri.EscapeDataString("person = '王小明'")}"),
            HttpStatusCode.BadRequest, "query.column_not_filterable");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_bad_tag_or_someone_elses_dataset_is_refused(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner();
        await host.CreateDatasetAsync(owner, "tagging", "open", ("a", "string"), ("n", "integer"));

        var unknown = await ProblemAssert.IsProblemAsync(await owner.PatchAsJsonAsync("/v1/datasets/tagging/columns/a", new { tag = "pii.passport" }),
            HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("pii.id_card", unknown["errors"]!["tag"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var wrongType = await ProblemAssert.IsProblemAsync(await owner.PatchAsJsonAsync("/v1/datasets/tagging/columns/n", new { tag = "pii.phone" }),
            HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("not integer", wrongType["errors"]!["tag"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await owner.PatchAsJsonAsync("/v1/datasets/tagging/columns/nope", new { tag = "pii.phone" }),
            HttpStatusCode.NotFound, "dataset.unknown_column");
        await ProblemAssert.IsProblemAsync(await host.Owner("ningbo-market-supervision").PatchAsJsonAsync("/v1/datasets/tagging/columns/a", new { tag = "pii.phone" }),
            HttpStatusCode.NotFound, "dataset.not_found");

        // Creating a dataset checks tags against the policy too.
        var created = await owner.PostAsJsonAsync("/v1/datasets", new
        {
            id = "tagging-2", title = "t", theme = "public-services", classification = "open", license = "CC-BY-4.0", updateFrequency = "irregular",
            columns = new object[] { new { name = "x", type = "string", tag = "pii.unknown" } },
        });
        var problem = await ProblemAssert.IsProblemAsync(created, HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("unknown tag 'pii.unknown'", problem["errors"]!["columns[0].tag"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
