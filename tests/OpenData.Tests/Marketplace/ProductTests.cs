using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Marketplace;

/// <summary>
/// Products of the marketplace on each database: who may publish (an owner, a licensed provider; not a consumer, not with another
/// owner's restricted data), what a price may be written as (decimal strings only, never a float or a sign), the lifecycle (a draft
/// is its provider's, a published product is anyone's, a retired one is final), and the agreement's versions (a changed text takes
/// a new version; every version stays readable). Every change is audited with its prices.
/// </summary>
public sealed class ProductTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    internal const string Owner = "ningbo-12345-hotline";
    internal const string Hotline = "hotline-12345-requests";
    internal const string AirQuality = "ningbo-air-quality-daily";

    internal static object Product(string id, string dataset, string approval = "manual", string status = "draft", string version = "1.0", object[]? plans = null) => new
    {
        id, title = "热线诉求数据服务", titleEn = "Hotline requests service", description = "按月订阅的热线诉求数据接口", kind = "records", datasets = new[] { dataset },
        plans = plans ?? new object[]
        {
            new { name = "basic", title = "基础版", price = new { model = "per_call", amount = "0.01" }, limits = new { dailyRequests = 3 } },
            new { name = "pro", title = "专业版", price = new { model = "monthly", amount = "300" }, limits = new { ratePerSecond = 10, burst = 20, dailyRequests = 1000 } },
        },
        agreement = new { version, text = "使用者不得将数据用于识别个人。" },
        approval, status,
    };

    [DatabaseTheory, OnEachDatabase]
    public async Task A_product_is_drafted_published_and_retired_by_its_provider_only_and_every_step_is_audited(string db)
    {
        var host = await hosts.GetAsync(db);
        var owner = host.As(Owner, "tenant:admin", "datasets:write", "catalogue:read");
        // A consumer that holds no provider licence publishes nothing.
        var consumer = host.As("product-consumer-" + db, "tenant:admin", "catalogue:read");
        await ProblemAssert.IsProblemAsync(await consumer.PostAsJsonAsync("/v1/products", Product("not-mine-" + db, AirQuality)), HttpStatusCode.Forbidden, "product.not_provider");

        var id = "hotline-api-" + db;
        var created = await owner.PostAsJsonAsync("/v1/products", Product(id, Hotline));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var product = await PlatformHost.ReadJsonAsync(created, HttpStatusCode.Created);
        Assert.Equal("draft", product["status"]!.GetValue<string>());
        Assert.Equal("0.01", product["plans"]![0]!["price"]!["amount"]!.GetValue<string>());
        Assert.Equal("CNY", product["plans"]![0]!["price"]!["currency"]!.GetValue<string>());
        Assert.Equal("1.0", product["agreement"]!["version"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync("/v1/products", Product(id, Hotline)), HttpStatusCode.Conflict, "product.exists");

        // A draft is its provider's: anyone else neither lists nor reads it.
        var anonymous = host.Anonymous();
        Assert.DoesNotContain(id, await anonymous.GetStringAsync("/v1/products"), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync($"/v1/products/{id}"), HttpStatusCode.NotFound, "product.not_found");
        Assert.Contains(id, await owner.GetStringAsync("/v1/products"), StringComparison.Ordinal);

        // Another owner cannot change it.
        var other = host.As("ningbo-market-supervision", "tenant:admin", "datasets:write");
        await ProblemAssert.IsProblemAsync(await other.PatchAsJsonAsync($"/v1/products/{id}", new { title = "抢来的" }), HttpStatusCode.NotFound, "product.not_found");

        // Published: anyone reads it, with the agreement's text.
        var published = await PlatformHost.ReadJsonAsync(await owner.PatchAsJsonAsync($"/v1/products/{id}", new { status = "published" }));
        Assert.Equal("published", published["status"]!.GetValue<string>());
        var seen = await PlatformHost.ReadJsonAsync(await anonymous.GetAsync($"/v1/products/{id}"));
        Assert.Equal("使用者不得将数据用于识别个人。", seen["agreement"]!["text"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await other.PatchAsJsonAsync($"/v1/products/{id}", new { title = "抢来的" }), HttpStatusCode.Forbidden, "product.not_provider");
        // GraphQL serves the same product.
        var graph = (await GraphQLCalls.PostAsync(anonymous, """query ($id: ID!) { product(id: $id) { kind agreementText plans { name priceModel amount currency dailyRequests } } }""",
            new { id })).Ok();
        Assert.Equal("records", graph["product"]!["kind"]!.GetValue<string>());
        Assert.Equal("使用者不得将数据用于识别个人。", graph["product"]!["agreementText"]!.GetValue<string>());
        Assert.Equal("0.01", graph["product"]!["plans"]![0]!["amount"]!.GetValue<string>());
        Assert.Equal(3, graph["product"]!["plans"]![0]!["dailyRequests"]!.GetValue<long>());
        Assert.Null(graph["product"]!["plans"]![1]!["exportRows"]);

        // The agreement: a changed text under the same version is refused; a new version is kept beside the old.
        var sameVersion = await owner.PatchAsJsonAsync($"/v1/products/{id}", new { agreement = new { version = "1.0", text = "改过的条款" } });
        await ProblemAssert.IsProblemAsync(sameVersion, HttpStatusCode.BadRequest, "request.validation");
        var revised = await PlatformHost.ReadJsonAsync(await owner.PatchAsJsonAsync($"/v1/products/{id}", new { agreement = new { version = "2.0", text = "第二版条款" } }));
        Assert.Equal("2.0", revised["agreement"]!["version"]!.GetValue<string>());
        var versions = JsonNode.Parse(await anonymous.GetStringAsync($"/v1/products/{id}/agreements"))!.AsArray();
        Assert.Equal(["1.0", "2.0"], versions.Select(v => v!["version"]!.GetValue<string>()));
        Assert.Equal("使用者不得将数据用于识别个人。", versions[0]!["text"]!.GetValue<string>());

        // Retired: final, and every step is in the audit with the prices set.
        var retired = await PlatformHost.ReadJsonAsync(await owner.PatchAsJsonAsync($"/v1/products/{id}", new { status = "retired", noticeDays = 0 }));
        Assert.Equal("retired", retired["status"]!.GetValue<string>());
        Assert.NotNull(retired["retiresAt"]);
        await ProblemAssert.IsProblemAsync(await owner.PatchAsJsonAsync($"/v1/products/{id}", new { status = "published" }), HttpStatusCode.Conflict, "product.invalid_status");
        Assert.DoesNotContain(id, await anonymous.GetStringAsync("/v1/products"), StringComparison.Ordinal);
        var audit = await PlatformHost.ReadJsonAsync(await host.As("platform", "platform:admin").GetAsync("/v1/audit?limit=200"));
        var types = audit["items"]!.AsArray().Where(e => e!["subject"]?.GetValue<string>() == id).Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("product.created", types);
        Assert.Contains("product.published", types);
        Assert.Contains("product.updated", types);
        Assert.Contains("product.retired", types);
        var createdEntry = audit["items"]!.AsArray().First(e => e!["subject"]?.GetValue<string>() == id && e["type"]!.GetValue<string>() == "product.created")!;
        Assert.Equal("per_call 0.01", createdEntry["details"]!["plans"]!["basic"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Prices_are_decimal_strings_and_a_product_offers_its_providers_data_or_open_data(string db)
    {
        var host = await hosts.GetAsync(db);
        var owner = host.As(Owner, "tenant:admin", "datasets:write");
        async Task RefusedAsync(object body, string field)
        {
            var response = await owner.PostAsJsonAsync("/v1/products", body);
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.validation");
            Assert.True(problem["errors"]?[field] is not null, $"no error on {field}: {problem.ToJsonString()}");
            Assert.DoesNotContain("priced-" + db, await owner.GetStringAsync("/v1/products"), StringComparison.Ordinal);
        }
        object Priced(string model, object amount) =>
            Product("priced-" + db, AirQuality, plans: [new { name = "p", price = new { model, amount }, limits = new { } }]);
        foreach (var bad in new object[] { "1e3", "-1", "0.00001", "1,000", " ", "¥5", "100000001" })
        {
            await RefusedAsync(Priced("per_call", bad), "plans[0]");
        }
        // A number is not an amount: the body itself is refused before any price is read.
        await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync("/v1/products", Priced("per_call", 0.5)), HttpStatusCode.BadRequest, "request.invalid");
        await RefusedAsync(Priced("per_call", "0"), "plans[0]");
        await RefusedAsync(Priced("free", "3"), "plans[0]");
        await RefusedAsync(Priced("per_minute", "3"), "plans[0]");
        await RefusedAsync(Product("dup-" + db, AirQuality, plans:
            [new { name = "a", price = new { model = "free" } }, new { name = "a", price = new { model = "free" } }]), "plans[1]");
        await RefusedAsync(Product("Bad Id", AirQuality), "id");
        // Another owner's restricted data is not a provider's to sell; open data and its own are.
        var reseller = await host.As("ningbo-market-supervision", "tenant:admin", "datasets:write").PostAsJsonAsync("/v1/products", Product("resell-" + db, Hotline));
        var resold = await ProblemAssert.IsProblemAsync(reseller, HttpStatusCode.BadRequest, "request.validation");
        Assert.Contains("restricted data of 'ningbo-12345-hotline'", resold["errors"]!["datasets"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var ok = await owner.PostAsJsonAsync("/v1/products", Priced("per_thousand_rows", "0.0025"));
        Assert.True(ok.StatusCode == HttpStatusCode.Created, await ok.Content.ReadAsStringAsync());
        Assert.Equal("0.0025", (await PlatformHost.ReadJsonAsync(ok, HttpStatusCode.Created))["plans"]![0]!["price"]!["amount"]!.GetValue<string>());
    }
}
