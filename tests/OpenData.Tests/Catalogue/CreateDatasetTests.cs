using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Catalogue;

/// <summary><c>POST /v1/datasets</c>: who may declare a dataset, and what a valid declaration is.</summary>
public sealed class CreateDatasetTests
{
    private const string Publisher = "ningbo-market-supervision";

    private static JsonObject ValidBody(string id = "licensed-food-shops") => new()
    {
        ["id"] = id,
        ["title"] = "食品经营许可 Licensed food shops",
        ["description"] = "Shops licensed to sell food",
        ["theme"] = "market-supervision",
        ["classification"] = "restricted",
        ["license"] = "CC-BY-4.0",
        ["updateFrequency"] = "monthly",
        ["columns"] = new JsonArray(
            new JsonObject { ["name"] = "licenceNo", ["type"] = "string", ["title"] = "许可证编号" },
            new JsonObject { ["name"] = "shopName", ["type"] = "string" },
            new JsonObject { ["name"] = "ownerMobile", ["type"] = "string", ["tag"] = "pii.phone" },
            new JsonObject { ["name"] = "issuedOn", ["type"] = "date" },
            new JsonObject { ["name"] = "staff", ["type"] = "integer" }),
    };

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, JsonNode body) =>
        await client.PostAsync("/v1/datasets", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private static async Task<string[]> ListedIdsAsync(PlatformHost host)
    {
        var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets?limit=100"));
        return page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_organisation_creates_a_dataset_answered_201_with_its_location(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);

        var response = await PostAsync(host.Owner(Publisher), ValidBody());

        var created = await PlatformHost.ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.NotNull(response.Headers.Location);
        Assert.Equal("/v1/datasets/licensed-food-shops", response.Headers.Location!.AbsolutePath);
        Assert.Equal("licensed-food-shops", created["id"]!.GetValue<string>());
        Assert.Equal(Publisher, created["owner"]!.GetValue<string>());
        Assert.Equal("restricted", created["classification"]!.GetValue<string>());
        Assert.Equal("market-supervision", created["theme"]!.GetValue<string>());
        Assert.Null(created["version"]);
        Assert.Equal(0, created["rowCount"]!.GetValue<long>());
        Assert.Empty(created["versions"]!.AsArray());
        var columns = created["columns"]!.AsArray();
        Assert.Equal(["licenceNo", "shopName", "ownerMobile", "issuedOn", "staff"], columns.Select(c => c!["name"]!.GetValue<string>()).ToArray());
        Assert.Equal(["string", "string", "string", "date", "integer"], columns.Select(c => c!["type"]!.GetValue<string>()).ToArray());
        Assert.Equal("许可证编号", columns[0]!["title"]!.GetValue<string>());
        Assert.Equal("shopName", columns[1]!["title"]!.GetValue<string>());
        Assert.Equal("pii.phone", columns[2]!["tag"]!.GetValue<string>());

        var fetched = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync(response.Headers.Location));
        Assert.Equal("licensed-food-shops", fetched["id"]!.GetValue<string>());
        Assert.Equal("requestable", fetched["access"]!.GetValue<string>());
        Assert.Contains("licensed-food-shops", await ListedIdsAsync(host));
        var byOwner = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync($"/v1/datasets?owner={Publisher}"));
        Assert.Equal(["licensed-food-shops", "ningbo-food-business-licences"], byOwner["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Each_invalid_field_is_named_in_a_validation_problem(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Publisher);
        var cases = new (string Field, Action<JsonObject> Break)[]
        {
            ("id", b => b["id"] = "Bad Slug!"),
            ("id", b => b["id"] = "ab"),
            ("id", b => b["id"] = "-leading-dash"),
            ("title", b => b["title"] = "  "),
            ("theme", b => b["theme"] = "weather"),
            ("classification", b => b["classification"] = "secret"),
            ("license", b => b.Remove("license")),
            ("updateFrequency", b => b["updateFrequency"] = ""),
            ("columns", b => b["columns"] = new JsonArray()),
            ("columns[1].name", b => b["columns"]![1]!["name"] = "LICENCENO"),
            ("columns[0].name", b => b["columns"]![0]!["name"] = "has space"),
            ("columns[3].type", b => b["columns"]![3]!["type"] = "text"),
            ("columns[2].tag", b => b["columns"]![2]!["tag"] = "PII Phone"),
        };
        foreach (var (field, breakIt) in cases)
        {
            var body = ValidBody();
            breakIt(body);
            var problem = await ProblemAssert.IsProblemAsync(await PostAsync(owner, body), HttpStatusCode.BadRequest, "request.validation");
            var errors = problem["errors"]!.AsObject();
            Assert.True(errors.Count == 1 && errors.ContainsKey(field), $"{field}: {problem.ToJsonString()}");
            Assert.False(string.IsNullOrWhiteSpace(errors[field]![0]!.GetValue<string>()));
        }
        Assert.DoesNotContain("licensed-food-shops", await ListedIdsAsync(host));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Several_invalid_fields_are_all_named_at_once(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var body = ValidBody("Not A Slug");
        body["theme"] = "weather";
        body["classification"] = "top-secret";
        body["columns"] = new JsonArray(
            new JsonObject { ["name"] = "code", ["type"] = "string" },
            new JsonObject { ["name"] = "Code", ["type"] = "integer" },
            new JsonObject { ["name"] = "when", ["type"] = "timestamp" });

        var problem = await ProblemAssert.IsProblemAsync(await PostAsync(host.Owner(Publisher), body), HttpStatusCode.BadRequest, "request.validation");

        var fields = problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["classification", "columns[1].name", "columns[2].type", "id", "theme"], fields);
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("declared twice", detail, StringComparison.Ordinal);
        Assert.Contains("environment", detail, StringComparison.Ordinal);
        Assert.Equal(OpenData.Platform.Seed.SeedCatalogue.Datasets.Length, (await ListedIdsAsync(host)).Length);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_body_with_only_an_id_names_every_missing_field(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);

        var problem = await ProblemAssert.IsProblemAsync(await PostAsync(host.Owner(Publisher), new JsonObject { ["id"] = "only-an-id" }),
            HttpStatusCode.BadRequest, "request.validation");

        var fields = problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["classification", "columns", "license", "theme", "title", "updateFrequency"], fields);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_id_already_taken_answers_409(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Publisher);

        await ProblemAssert.IsProblemAsync(await PostAsync(owner, ValidBody("ningbo-villages")), HttpStatusCode.Conflict, "dataset.exists");
        await PlatformHost.ReadJsonAsync(await PostAsync(owner, ValidBody("food-shops")), HttpStatusCode.Created);
        var problem = await ProblemAssert.IsProblemAsync(await PostAsync(owner, ValidBody("food-shops")), HttpStatusCode.Conflict, "dataset.exists");
        Assert.Contains("food-shops", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // The seeded dataset is untouched by the refused declaration.
        var villages = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/ningbo-villages"));
        Assert.Equal("ningbo-civil-affairs", villages["owner"]!.GetValue<string>());
        Assert.Equal(6, villages["columns"]!.AsArray().Count);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_tenant_that_is_not_an_organisation_may_not_create_datasets(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);

        // The token server never gives a consumer's app datasets:write (its registration refuses the scope): the API's own
        // check must hold should such a token exist anyway, and for a token without a tenant.
        Assert.Equal(HttpStatusCode.BadRequest, (await host.As("platform", "platform:admin").PostAsJsonAsync("/v1/tenants/demo-consumer/apps",
            new { name = "publisher", scopes = new[] { "datasets:write" } })).StatusCode);
        var consumer = await host.ForgedAsync("demo-consumer", "datasets:write");
        await ProblemAssert.IsProblemAsync(await PostAsync(consumer, ValidBody()), HttpStatusCode.Forbidden, "dataset.owner_required");
        var noTenant = await host.ForgedAsync(null, "datasets:write");
        await ProblemAssert.IsProblemAsync(await PostAsync(noTenant, ValidBody()), HttpStatusCode.Forbidden, "dataset.owner_required");

        Assert.DoesNotContain("licensed-food-shops", await ListedIdsAsync(host));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_anonymous_caller_may_not_create_datasets(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);

        var response = await PostAsync(host.Anonymous(), ValidBody());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.token_required");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.DoesNotContain("licensed-food-shops", await ListedIdsAsync(host));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_caller_without_datasets_write_may_not_create_datasets(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);

        var reader = host.As(Publisher, "catalogue:read", "records:read");
        await ProblemAssert.IsProblemAsync(await PostAsync(reader, ValidBody()), HttpStatusCode.Forbidden, "auth.insufficient_scope");

        Assert.DoesNotContain("licensed-food-shops", await ListedIdsAsync(host));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_malformed_json_body_answers_400_request_invalid(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Publisher);
        string[] bodies =
        [
            "{ \"id\": \"broken\", ",                 // cut short
            "{ id: 'not json' }",                     // not JSON
            "[]",                                     // not an object
            "{ \"id\": 42, \"title\": \"x\" }",       // wrong type
            "{ \"id\": \"x\", \"columns\": \"a,b\" }", // columns not an array
        ];
        foreach (var body in bodies)
        {
            var response = await owner.PostAsync("/v1/datasets", new StringContent(body, Encoding.UTF8, "application/json"));
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid");
        }
        Assert.Equal(OpenData.Platform.Seed.SeedCatalogue.Datasets.Length, (await ListedIdsAsync(host)).Length);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_empty_body_answers_400_request_invalid(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);

        var response = await host.Owner(Publisher).PostAsync("/v1/datasets", new StringContent("", Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_body_that_is_not_json_answers_415(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Publisher);

        var asText = await owner.PostAsync("/v1/datasets", new StringContent(ValidBody().ToJsonString(), Encoding.UTF8, "text/plain"));
        using var untyped = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidBody().ToJsonString()));
        var withoutType = await owner.PostAsync("/v1/datasets", untyped);

        Assert.Equal(OpenData.Platform.Seed.SeedCatalogue.Datasets.Length, (await ListedIdsAsync(host)).Length);
        await ProblemAssert.IsProblemAsync(asText, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
        await ProblemAssert.IsProblemAsync(withoutType, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_method_the_datasets_routes_do_not_take_answers_405(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Publisher);

        var put = await owner.PutAsync("/v1/datasets", new StringContent(ValidBody().ToJsonString(), Encoding.UTF8, "application/json"));
        var delete = await owner.DeleteAsync("/v1/datasets/ningbo-villages");

        var villages = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/ningbo-villages"));
        Assert.Equal(3042, villages["rowCount"]!.GetValue<long>());
        await ProblemAssert.IsProblemAsync(put, HttpStatusCode.MethodNotAllowed, "request.method_not_allowed");
        await ProblemAssert.IsProblemAsync(delete, HttpStatusCode.MethodNotAllowed, "request.method_not_allowed");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_created_dataset_takes_its_first_version_from_its_owner(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner(Publisher);
        var body = ValidBody("shops-open");
        body["classification"] = "open";
        await PlatformHost.ReadJsonAsync(await PostAsync(owner, body), HttpStatusCode.Created);

        var job = await host.UploadAsync(owner, "shops-open",
            "licenceNo,shopName,ownerMobile,issuedOn,staff\nJY001,老王面馆,13800000000,2024-03-01,4\n");

        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
        var detail = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/shops-open"));
        Assert.Equal(1, detail["version"]!.GetValue<int>());
        Assert.Equal(1, detail["rowCount"]!.GetValue<long>());
        var page = await PlatformHost.ReadJsonAsync(await host.Anonymous().GetAsync("/v1/datasets/shops-open/records"));
        Assert.Equal("老王面馆", Assert.Single(page["items"]!.AsArray())!["shopName"]!.GetValue<string>());
    }
}
