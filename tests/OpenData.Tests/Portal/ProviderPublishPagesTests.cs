using System.Net;
using System.Net.Http.Json;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Portal.ConsoleTests;

namespace OpenData.Tests.Portal;

/// <summary>
/// The console of a consumer the operator licenses as a data service provider: before the licence it neither shows nor serves
/// the publish pages; licensed, its admin sees its datasets tab and the publish form (with the sources a provider must name,
/// refused on that field when missing) and publishes a derived dataset from it; revoked, the pages are gone again.
/// </summary>
public sealed class ProviderPublishPagesTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    [DatabaseTheory, OnEachDatabase]
    public async Task A_licensed_providers_console_offers_publishing_derived_datasets_and_withdraws_it_on_revocation(string db)
    {
        var host = await hosts.GetAsync(db);
        var tenant = "page-provider-" + db;
        var op = host.As("platform", "platform:admin");
        var created = await op.PostAsJsonAsync("/v1/tenants", new { id = tenant, name = "增值服务商 " + db, kind = "consumer" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        using var admin = await ConsolePeople.SignInAsync(host, tenant, "admin", $"publisher-{db}@provider.example.test");

        // Not licensed: no datasets tab, and the publish page refuses.
        Assert.DoesNotContain("href=\"/console/datasets\"", await admin.GetStringAsync("/console"), StringComparison.Ordinal);
        var refused = await admin.GetAsync("/console/publish");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("data-not-owner", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{tenant}/provider-licence", new { note = "page test" }));

        // Licensed: the datasets tab, the publish link and the form, which asks a provider for its sources.
        var datasets = await admin.GetStringAsync("/console/datasets");
        Assert.Contains("href=\"/console/datasets\"", datasets, StringComparison.Ordinal);
        Assert.Contains("data-publish-link", datasets, StringComparison.Ordinal);
        var form = await admin.GetStringAsync("/console/publish");
        Assert.Contains("data-publish-form", form, StringComparison.Ordinal);
        Assert.Contains("name=\"sources\"", form, StringComparison.Ordinal);
        Assert.Contains("持证的数据服务商", form, StringComparison.Ordinal);
        var token = AntiforgeryField(form);
        KeyValuePair<string, string>[] Fields(string id, string sources) =>
            [.. token, new("id", id), new("title", "许可证联系方式"), new("theme", "market-supervision"), new("classification", "open"), new("license", "CC-BY-4.0"),
                new("updateFrequency", "monthly"), new("sources", sources), new("columns[0].name", "licenceNo"), new("columns[0].type", "string"),
                new("columns[1].name", "contactPhone"), new("columns[1].type", "string")];

        // Without sources: the form again, the refusal on the sources field, nothing declared.
        var unsourced = await admin.PostAsync("/console/publish", new FormUrlEncodedContent(Fields("page-unsourced-" + db, "")));
        Assert.Equal(HttpStatusCode.BadRequest, unsourced.StatusCode);
        Assert.Contains("data-field-error=\"sources\"", await unsourced.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous().GetAsync($"/v1/datasets/page-unsourced-{db}")).StatusCode);

        // From an open source: declared, on to its upload page; the carried phone column keeps its source's tag.
        var id = "page-derived-" + db;
        var posted = await admin.PostAsync("/console/publish", new FormUrlEncodedContent(Fields(id, "ningbo-food-business-licences")));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"/console/datasets/{id}/upload", posted.Headers.Location?.ToString());
        var dataset = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{id}"));
        Assert.Equal(tenant, dataset["owner"]!.GetValue<string>());
        Assert.Equal("pii.phone", dataset["columns"]![1]!["tag"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/console/datasets/{id}/upload")).StatusCode);

        // Revoked: the publish page is withdrawn at once.
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{tenant}/provider-licence", new { licensed = false }));
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/console/publish")).StatusCode);
    }
}
