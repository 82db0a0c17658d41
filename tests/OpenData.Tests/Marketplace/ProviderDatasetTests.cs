using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Marketplace;

/// <summary>
/// A licensed provider's derived datasets on each database, as an attacker and as the provider: a consumer without a licence
/// neither holds datasets:write nor declares a dataset (even with a forged token); the operator licenses it; its app, with a real
/// token, derives from an open dataset and from a restricted one it holds a grant for — never without sources, never from data
/// it may not read — the derived datasets inherit the strictest classification and the carried tags, take uploads, show their
/// lineage, and the sources' owners see the derivation in their audit. Revoked: no new dataset or version (even with a token
/// issued before), new tokens lack datasets:write, and what it published stays readable.
/// </summary>
public sealed class ProviderDatasetTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    private const string Hotline = "hotline-12345-requests";
    private const string HotlineOwner = "ningbo-12345-hotline";
    private const string Villages = "ningbo-villages";
    private const string VillagesOwner = "ningbo-civil-affairs";
    private const string FoodLicences = "ningbo-food-business-licences";
    private const string FoodOwner = "ningbo-market-supervision";

    private static object Derived(string id, string classification, object[] columns, params string[] sources) => new
    {
        id, title = "加工数据集 " + id, description = "由持证数据服务商加工", theme = "public-services", classification, license = "CC-BY-4.0",
        updateFrequency = "monthly", columns, sources,
    };

    private static readonly object[] ByVillage =
    [
        new { name = "code", type = "string", title = "村级区划代码" },
        new { name = "callerMobile", type = "string", title = "联系电话" },
        new { name = "requests", type = "integer", title = "诉求数" },
    ];

    private static readonly object[] Contacts =
    [
        new { name = "licenceNo", type = "string", title = "许可证编号" },
        new { name = "contactPhone", type = "string", title = "联系电话" },
        new { name = "legalRepresentative", type = "string", title = "法定代表人" },
    ];

    [DatabaseTheory, OnEachDatabase]
    public async Task A_licensed_provider_publishes_derived_datasets_of_data_it_may_read_and_stops_when_its_licence_is_revoked(string db)
    {
        var host = await hosts.GetAsync(db);
        var provider = "value-adder-" + db;
        var admin = host.As(provider, "tenant:admin", "catalogue:read");
        var op = host.As("platform", "platform:admin");

        // Unlicensed: its apps cannot hold datasets:write, and a token that says so anyway declares nothing.
        var refusedApp = await admin.PostAsJsonAsync($"/v1/tenants/{provider}/apps", new { name = "publisher", scopes = new[] { "datasets:write", "catalogue:read" } });
        var scopesProblem = await ProblemAssert.IsProblemAsync(refusedApp, HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("datasets:write", scopesProblem["errors"]!["scopes"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var forged = await host.ForgedAsync(provider, "datasets:write", "catalogue:read");
        await ProblemAssert.IsProblemAsync(await forged.PostAsJsonAsync("/v1/datasets", Derived("unlicensed-" + db, "open", Contacts, FoodLicences)),
            HttpStatusCode.Forbidden, "dataset.owner_required");

        // Licensed by the operator: it is a publishing organisation under its tenant's name, and its app may hold datasets:write.
        var licence = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{provider}/provider-licence", new { note = "增值服务商" }));
        Assert.True(licence["licensed"]!.GetValue<bool>());
        var organisations = JsonNode.Parse(await host.Anonymous().GetStringAsync("/v1/organisations"))!.ToJsonString();
        Assert.Contains($"\"{provider}\"", organisations, StringComparison.Ordinal);
        var created = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync($"/v1/tenants/{provider}/apps",
            new { name = "publisher", scopes = new[] { "datasets:write", "access:review", "access:request", "catalogue:read", "records:read" } }), HttpStatusCode.Created);
        var (clientId, secret) = (created["clientId"]!.GetValue<string>(), created["clientSecret"]!.GetValue<string>());
        var (token, scopes) = await TokenAsync(host, clientId, secret);
        Assert.Contains("datasets:write", scopes);
        Assert.Contains("access:review", scopes);
        var app = Bearer(host, token);

        // A provider's dataset is derived: no sources is refused on the field; a restricted source it holds no grant for, too.
        var unsourced = await app.PostAsJsonAsync("/v1/datasets", Derived("unsourced-" + db, "open", Contacts));
        var unsourcedProblem = await ProblemAssert.IsProblemAsync(unsourced, HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("at least one", unsourcedProblem["errors"]!["sources"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var byVillage = "requests-by-village-" + db;
        var ungranted = await ProblemAssert.IsProblemAsync(await app.PostAsJsonAsync("/v1/datasets", Derived(byVillage, "open", ByVillage, Villages, Hotline)),
            HttpStatusCode.Forbidden, "dataset.source_not_readable");
        Assert.Contains(Hotline, ungranted["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous().GetAsync($"/v1/datasets/{byVillage}")).StatusCode);

        // From an open source: it stays open, carries the source's tags, and what anyone reads is desensitised as they say.
        var contacts = "licence-contacts-" + db;
        var declared = await app.PostAsJsonAsync("/v1/datasets", Derived(contacts, "open", Contacts, FoodLicences));
        Assert.True(declared.StatusCode == HttpStatusCode.Created, await declared.Content.ReadAsStringAsync());
        var contactsDataset = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{contacts}"));
        Assert.Equal(provider, contactsDataset["owner"]!.GetValue<string>());
        Assert.Equal("pii.phone", Column(contactsDataset, "contactPhone")["tag"]!.GetValue<string>());
        Assert.Equal("pii.name", Column(contactsDataset, "legalRepresentative")["tag"]!.GetValue<string>());
        var job = await host.UploadAsync(app, contacts, "licenceNo,contactPhone,legalRepresentative\nJY001,13812345678,王小明\n");
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("version").GetInt32());
        var row = (await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{contacts}/records")))["items"]![0]!;
        Assert.Equal("JY001", row["licenceNo"]!.GetValue<string>());
        Assert.Equal("138****5678", row["contactPhone"]!.GetValue<string>());
        Assert.DoesNotContain("小明", row["legalRepresentative"]!.GetValue<string>(), StringComparison.Ordinal);

        // Granted the restricted source by its owner: the provider derives from it; declared open, the dataset is restricted.
        var request = await PlatformHost.ReadJsonAsync(await app.PostAsJsonAsync("/v1/access-requests",
            new { datasetId = Hotline, purpose = "Requests per village for a value-added service", durationDays = 30 }), HttpStatusCode.Created);
        var hotlineReviewer = host.As(HotlineOwner, "catalogue:read", "records:read", "access:review", "datasets:write");
        await PlatformHost.ReadJsonAsync(await hotlineReviewer.PostAsJsonAsync($"/v1/access-requests/{request["id"]!.GetValue<string>()}/decision",
            new { decision = "approve", reason = "value-added service" }));
        declared = await app.PostAsJsonAsync("/v1/datasets", Derived(byVillage, "open", ByVillage, Villages, Hotline));
        Assert.True(declared.StatusCode == HttpStatusCode.Created, await declared.Content.ReadAsStringAsync());
        var derived = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{byVillage}"));
        Assert.Equal("restricted", derived["classification"]!.GetValue<string>());
        Assert.Equal("pii.phone", Column(derived, "callerMobile")["tag"]!.GetValue<string>());
        // Nor can the carried tag be taken off afterwards (laundering by retagging).
        var retagged = await ProblemAssert.IsProblemAsync(await app.PatchAsJsonAsync($"/v1/datasets/{byVillage}/columns/callerMobile", new { tag = "public" }),
            HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("pii.phone", retagged["errors"]!["tag"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("pii.phone", Column(await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{byVillage}")), "callerMobile")["tag"]!.GetValue<string>());
        Assert.Equal(1, (await host.UploadAsync(app, byVillage, "code,callerMobile,requests\n330203001001,13800000000,3\n")).GetProperty("version").GetInt32());
        await ProblemAssert.IsProblemAsync(await host.As("provider-reader-" + db, "records:read").GetAsync($"/v1/datasets/{byVillage}/records"),
            HttpStatusCode.Forbidden, "access.grant_required");

        // Its lineage, on the API and on its page; the sources' owners see where their data went.
        var lineage = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets/{byVillage}/lineage"));
        Assert.Equal([Hotline, Villages], lineage["sources"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains($"data-lineage-source=\"{Hotline}\"", await host.Anonymous().GetStringAsync($"/datasets/{byVillage}"), StringComparison.Ordinal);
        foreach (var (source, owner, subject) in new[] { (Hotline, HotlineOwner, byVillage), (Villages, VillagesOwner, byVillage), (FoodLicences, FoodOwner, contacts) })
        {
            var audit = await PlatformHost.ReadJsonAsync(await host.As(owner, "catalogue:read").GetAsync($"/v1/audit?type=dataset.derived&datasetId={source}"));
            var entry = Assert.Single(audit["items"]!.AsArray(), e => e!["subject"]?.GetValue<string>() == subject)!;
            Assert.Equal(provider, entry["details"]!["by"]!.GetValue<string>());
        }

        // Someone asks for the restricted derived dataset: the provider's inbox decides it, as an owner's does.
        var reader = host.As("provider-customer-" + db, "catalogue:read", "records:read", "access:request");
        var asked = await PlatformHost.ReadJsonAsync(await reader.PostAsJsonAsync("/v1/access-requests",
            new { datasetId = byVillage, purpose = "Planning of village services", durationDays = 30 }), HttpStatusCode.Created);
        await PlatformHost.ReadJsonAsync(await app.PostAsJsonAsync($"/v1/access-requests/{asked["id"]!.GetValue<string>()}/decision",
            new { decision = "approve", reason = "for planning" }));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/datasets/{byVillage}/records")).StatusCode);

        // Revoked: the token issued before still says datasets:write, but no new dataset or version is taken.
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{provider}/provider-licence", new { licensed = false }));
        await ProblemAssert.IsProblemAsync(await app.PostAsJsonAsync("/v1/datasets", Derived("after-revocation-" + db, "open", Contacts, FoodLicences)),
            HttpStatusCode.Forbidden, "dataset.licence_revoked");
        using (var csv = new StringContent("licenceNo,contactPhone,legalRepresentative\nJY002,13900000000,李娜\n", System.Text.Encoding.UTF8, "text/csv"))
        {
            await ProblemAssert.IsProblemAsync(await app.PostAsync($"/v1/datasets/{contacts}/versions", csv), HttpStatusCode.Forbidden, "dataset.licence_revoked");
        }
        // A token issued now drops datasets:write and access:review (the app keeps them on record); asked for by name, too.
        var (_, afterScopes) = await TokenAsync(host, clientId, secret);
        Assert.DoesNotContain("datasets:write", afterScopes);
        Assert.DoesNotContain("access:review", afterScopes);
        Assert.Contains("catalogue:read", afterScopes);
        var (named, namedScopes) = await TokenAsync(host, clientId, secret, "datasets:write catalogue:read");
        Assert.Equal(["catalogue:read"], namedScopes);
        await ProblemAssert.IsProblemAsync(await Bearer(host, named).PostAsJsonAsync("/v1/datasets", Derived("after-token-" + db, "open", Contacts, FoodLicences)),
            HttpStatusCode.Forbidden, "auth.insufficient_scope");
        await ProblemAssert.IsProblemAsync(await admin.PostAsJsonAsync($"/v1/tenants/{provider}/apps", new { name = "again", scopes = new[] { "datasets:write" } }),
            HttpStatusCode.BadRequest, "request.validation");
        // What it published stays readable, under its organisation.
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous().GetAsync($"/v1/datasets/{contacts}/records")).StatusCode);
        Assert.Contains($"\"{provider}\"", JsonNode.Parse(await host.Anonymous().GetStringAsync("/v1/organisations"))!.ToJsonString(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_licence_revoked_on_one_node_drops_its_scopes_from_the_other_nodes_tokens_at_once()
    {
        // Node B caches the licence for 30 s; only the cache signal explains it seeing the revocation within seconds.
        await using var a = await PlatformHost.StartAsync(Db.Postgres);
        await using var b = await a.StartPeerAsync();
        await a.Required<OpenData.Platform.Storage.CacheSignalRelay>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        await b.Required<OpenData.Platform.Storage.CacheSignalRelay>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        const string provider = "two-node-provider";
        var admin = a.As(provider, "tenant:admin", "catalogue:read");
        var op = a.As("platform", "platform:admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/tenants/{provider}")).StatusCode);
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{provider}/provider-licence", new { note = "two nodes" }));
        var created = await PlatformHost.ReadJsonAsync(await admin.PostAsJsonAsync($"/v1/tenants/{provider}/apps",
            new { name = "publisher", scopes = new[] { "datasets:write", "catalogue:read" } }), HttpStatusCode.Created);
        var (clientId, secret) = (created["clientId"]!.GetValue<string>(), created["clientSecret"]!.GetValue<string>());
        Assert.Contains("datasets:write", (await TokenAsync(b, clientId, secret)).Scopes);

        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{provider}/provider-licence", new { licensed = false }));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while ((await TokenAsync(b, clientId, secret)).Scopes.Contains("datasets:write"))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "node B still issues datasets:write 5 s after the revocation (its cache lasts 30 s)");
            await Task.Delay(20);
        }
    }

    private static JsonNode Column(JsonNode dataset, string name) => dataset["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;

    private static HttpClient Bearer(PlatformHost host, string token)
    {
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client-credentials token of the app, and the scopes the token endpoint says it carries.</summary>
    private static async Task<(string Token, string[] Scopes)> TokenAsync(PlatformHost host, string clientId, string secret, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        var response = await host.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(form));
        var json = await PlatformHost.ReadJsonAsync(response);
        return (json["access_token"]!.GetValue<string>(), json["scope"]?.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? []);
    }
}
