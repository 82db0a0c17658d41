using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;
using static OpenData.Tests.Infrastructure.GraphQLCalls;

namespace OpenData.Tests.GraphQL;

/// <summary>
/// Reading through <c>/graphql</c> on a seeded host: introspection, records and desensitised rows equal to REST's page for page,
/// batch-loaded datasets of requests and search pages, the explorer page and the schema text.
/// </summary>
public sealed partial class GraphQLEndpointTests(GraphQLEndpointTests.Hosts hosts) : IClassFixture<GraphQLEndpointTests.Hosts>
{
    /// <summary>Seeded hosts with a sensitive dataset and a few open access requests (read-only for the tests of this class).</summary>
    public sealed class Hosts : SeededHosts
    {
        protected override async Task PrepareAsync(PlatformHost host)
        {
            await CreateSensitiveAsync(host);
            foreach (var tenant in Requesters)
            {
                await SubmitAsync(Consumer(host, tenant), Restricted);
            }
            await SubmitAsync(Consumer(host, Requesters[0]), Sensitive);
        }
    }

    private static readonly string[] Requesters = ["gql-batch-a", "gql-batch-b", "gql-batch-c"];

    private const string Villages = "ningbo-villages";
    private const string FoodLicences = "ningbo-food-business-licences";

    private const string RecordsQuery = """
        query Records($id: ID!, $select: [String!], $where: String, $orderBy: String, $first: Int, $after: String) {
          dataset(id: $id) {
            records(select: $select, where: $where, orderBy: $orderBy, first: $first, after: $after) { items next columns }
          }
        }
        """;

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}\*+$")]
    private static partial Regex MaskedName();

    [GeneratedRegex(@"^1\d{2}\*{4}\d{4}$")]
    private static partial Regex MaskedPhone();

    private static string Rest(string dataset, string? select = null, string? where = null, string? orderBy = null, int? limit = null, string? cursor = null)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        Add("select", select);
        Add("where", where);
        Add("order_by", orderBy);
        Add("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("cursor", cursor);
        return $"/v1/datasets/{dataset}/records" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    [Fact]
    public async Task Introspection_lists_the_roots_and_the_types_and_the_fields_of_a_dataset()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var schema = (await PostAsync(host.Anonymous(), "{ __schema { queryType { name } mutationType { name } types { name kind } } }")).Ok()["__schema"]!;
        Assert.Equal("Query", schema["queryType"]!["name"]!.GetValue<string>());
        Assert.Equal("Mutation", schema["mutationType"]!["name"]!.GetValue<string>());
        var types = schema["types"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["kind"]!.GetValue<string>());
        Assert.Equal("OBJECT", types["Dataset"]);
        Assert.Equal("OBJECT", types["RecordPage"]);
        Assert.Equal("OBJECT", types["AccessRequest"]);
        Assert.Equal("OBJECT", types["Grant"]);
        Assert.Equal("SCALAR", types["JSON"]);
        Assert.Equal("ENUM", types["ColumnVisibility"]);

        var dataset = (await PostAsync(host.Anonymous(), """{ __type(name: "Dataset") { name fields { name args { name } } } }""")).Ok()["__type"]!;
        var fields = dataset["fields"]!.AsArray().ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["args"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToArray());
        Assert.Contains("columns", fields.Keys);
        Assert.Contains("access", fields.Keys);
        Assert.Equal(["select", "where", "orderBy", "first", "after"], fields["records"]);

        var mutation = (await PostAsync(host.Anonymous(), """{ __type(name: "Mutation") { fields { name } } }""")).Ok()["__type"]!;
        Assert.Superset(new HashSet<string> { "requestAccess", "decideAccessRequest", "revokeGrant" },
            mutation["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToHashSet());
    }

    /// <summary>The introspection query GraphQL tools send (graphql-js getIntrospectionQuery): its type references nest nine levels deep.</summary>
    private const string ToolsIntrospection = """
        query IntrospectionQuery {
          __schema {
            queryType { name } mutationType { name } subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
        }
        """;

    [Fact]
    public async Task The_introspection_query_of_GraphQL_tools_runs_over_POST_and_GET()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var post = await PostAsync(host.Anonymous(), ToolsIntrospection);
        var types = post.Ok()["__schema"]!["types"]!.AsArray();
        var records = types.Single(t => t!["name"]!.GetValue<string>() == "Dataset")!["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "records")!;
        Assert.Equal("NON_NULL", records["type"]!["kind"]!.GetValue<string>());
        Assert.Equal("RecordPage", records["type"]!["ofType"]!["name"]!.GetValue<string>());
        var get = await GetAsync(host.Anonymous(), ToolsIntrospection);
        Assert.True(JsonNode.DeepEquals(post.Data, get.Ok()), "GET and POST introspection differ");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Records_equal_REST_page_for_page_with_select_where_order_and_cursors(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        string[] select = ["code", "name", "areaCode"];
        const string where = "name like '%村%' and areaCode in ('330225', '330212', '330282')";
        const string orderBy = "areaCode desc, name";
        string? graphAfter = null;
        string? restCursor = null;
        for (var page = 0; page < 3; page++)
        {
            var answer = await PostAsync(client, RecordsQuery, new { id = Villages, select, where, orderBy, first = 25, after = graphAfter });
            var records = answer.Ok()["dataset"]!["records"]!;
            var rest = await RestAsync(client, Rest(Villages, string.Join(',', select), where, orderBy, 25, restCursor));
            Assert.Equal(25, rest["items"]!.AsArray().Count);
            AssertSameRows(rest["items"], records["items"]);
            Assert.All(records["items"]!.AsArray(), r => Assert.Contains("村", r!["name"]!.GetValue<string>(), StringComparison.Ordinal));
            Assert.Equal(select, records["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
            var next = records["next"]?.GetValue<string>();
            Assert.False(string.IsNullOrEmpty(next), $"page {page} has no next: {answer}");
            Assert.Equal(rest["next"]?.GetValue<string>(), next);
            graphAfter = next;
            restCursor = rest["next"]!.GetValue<string>();
        }

        // A cursor is the same token on both sides: one issued by REST continues over GraphQL.
        var crossed = await PostAsync(client, RecordsQuery, new { id = Villages, select, where, orderBy, first = 25, after = restCursor });
        var restNext = await RestAsync(client, Rest(Villages, string.Join(',', select), where, orderBy, 25, restCursor));
        AssertSameRows(restNext["items"], crossed.Ok()["dataset"]!["records"]!["items"]);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_default_page_equals_RESTs_default_page(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        var graph = (await PostAsync(client, """{ dataset(id: "ningbo-villages") { records { items next } } }""")).Ok()["dataset"]!["records"]!;
        var rest = await RestAsync(client, Rest(Villages));
        Assert.Equal(100, graph["items"]!.AsArray().Count);
        AssertSameRows(rest["items"], graph["items"]);
        Assert.Equal(rest["next"]!.GetValue<string>(), graph["next"]!.GetValue<string>());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_open_dataset_with_tagged_columns_reads_desensitised_exactly_as_over_REST(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        var answer = await PostAsync(client, """
            { dataset(id: "ningbo-food-business-licences") {
                access columns { name tag visibility }
                records(first: 50, orderBy: "licenceNo") { items next } } }
            """);
        var dataset = answer.Ok()["dataset"]!;
        var rest = await RestAsync(client, Rest(FoodLicences, orderBy: "licenceNo", limit: 50));
        AssertSameRows(rest["items"], dataset["records"]!["items"]);
        Assert.Equal(rest["next"]?.GetValue<string>(), dataset["records"]!["next"]?.GetValue<string>());

        var rows = dataset["records"]!["items"]!.AsArray();
        Assert.Equal(50, rows.Count);
        Assert.All(rows, r => Assert.Matches(MaskedName(), r!["legalRepresentative"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.Matches(MaskedPhone(), r!["contactPhone"]!.GetValue<string>()));

        var detail = await RestAsync(client, $"/v1/datasets/{FoodLicences}");
        Assert.Equal(detail["access"]!.GetValue<string>(), dataset["access"]!.GetValue<string>());
        Assert.Equal(
            detail["columns"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["visibility"]!.GetValue<string>())),
            dataset["columns"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["visibility"]!.GetValue<string>())));
        var visibility = dataset["columns"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["visibility"]!.GetValue<string>());
        Assert.Equal("masked", visibility["legalRepresentative"]);
        Assert.Equal("masked", visibility["contactPhone"]);
        Assert.Equal("clear", visibility["licenceNo"]);

        // A masked column is no more filterable over GraphQL than over REST, and the code says why.
        var filtered = await PostAsync(client, """{ dataset(id: "ningbo-food-business-licences") { records(where: "contactPhone = '15112340872'") { items } } }""");
        await ProblemAssert.IsProblemAsync(await client.GetAsync(Rest(FoodLicences, where: "contactPhone = '15112340872'")), HttpStatusCode.BadRequest, "query.column_not_filterable");
        AssertFieldError(filtered, "query.column_not_filterable", 400);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Query_language_and_limit_errors_of_records_are_field_errors_with_RESTs_codes(string db)
    {
        var host = await hosts.GetAsync(db);
        var client = host.Anonymous();
        var unknown = await PostAsync(client, """{ dataset(id: "ningbo-villages") { id records(where: "nope = 1") { items } } }""");
        var error = AssertFieldError(unknown, "query.unknown_column", 400);
        Assert.Equal(1, error["extensions"]!["position"]!.GetValue<int>());
        Assert.Equal(["dataset", "records"], error["path"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.True(unknown.Data!.AsObject().ContainsKey("dataset") && unknown.Data["dataset"] is null, unknown.Text);

        // A syntax error in the expression: the same code and position as REST's problem.
        var syntax = await PostAsync(client, """{ dataset(id: "ningbo-villages") { records(where: "code = = 1") { items } } }""");
        var restResponse = await client.GetAsync(Rest(Villages, where: "code = = 1"));
        Assert.Equal(HttpStatusCode.BadRequest, restResponse.StatusCode);
        var restSyntax = JsonNode.Parse(await restResponse.Content.ReadAsStringAsync())!;
        var syntaxError = AssertFieldError(syntax, restSyntax["code"]!.GetValue<string>(), 400);
        Assert.NotNull(restSyntax["position"]);
        Assert.Equal(restSyntax["position"]!.GetValue<int>(), syntaxError["extensions"]!["position"]!.GetValue<int>());

        AssertFieldError(await PostAsync(client, """{ dataset(id: "ningbo-villages") { records(first: 1001) { items } } }"""), "query.invalid_limit", 400);
        AssertFieldError(await PostAsync(client, """{ dataset(id: "ningbo-villages") { records(first: 0) { items } } }"""), "query.invalid_limit", 400);
        AssertFieldError(await PostAsync(client, """{ dataset(id: "ningbo-villages") { records(after: "not-a-cursor") { items } } }"""), "query.invalid_cursor", 400);
        AssertFieldError(await PostAsync(client, """{ dataset(id: "ningbo-villages") { records(select: ["code", "nope"]) { items } } }"""), "query.unknown_column", 400);

        // An unknown dataset is null, as a lookup by id is, without an error.
        var missing = await PostAsync(client, """{ dataset(id: "no-such-dataset") { id records { items } } }""");
        Assert.Null(missing.Ok()["dataset"]);
    }

    [Fact]
    public async Task The_explorer_page_is_served_to_browsers_under_a_strict_content_security_policy()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var page = await SendAsync(host.Anonymous(), new HttpRequestMessage(HttpMethod.Get, "/graphql"), "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("text/html", page.MediaType);
        Assert.Contains("id=\"query\"", page.Text, StringComparison.Ordinal);
        var policy = string.Join("; ", page.Response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);

        // The same GET with a query runs it, even from a browser.
        var run = await SendAsync(host.Anonymous(), new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString("{ __typename }")), "text/html,*/*;q=0.8");
        Assert.Equal("Query", run.Ok()["__typename"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_schema_is_served_as_text()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var response = await host.Anonymous().GetAsync("/graphql/schema.graphql");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var sdl = await response.Content.ReadAsStringAsync();
        Assert.Contains("type Query {", sdl, StringComparison.Ordinal);
        Assert.Contains("type Mutation {", sdl, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_datasets_of_access_requests_are_loaded_for_each_request(string db)
    {
        var host = await hosts.GetAsync(db);
        var owner = Reviewer(host, RestrictedOwner);
        var restDetail = await RestAsync(owner, $"/v1/datasets/{Restricted}");
        var reviews = (await PostAsync(owner, """{ accessRequests(role: "reviewer") { id requester status dataset { id title access classification } } }""")).Ok()["accessRequests"]!.AsArray();
        Assert.Equal(Requesters, reviews.Select(r => r!["requester"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var restReviews = await RestAsync(owner, "/v1/access-requests?role=reviewer");
        Assert.Equal(restReviews["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Order(), reviews.Select(r => r!["id"]!.GetValue<string>()).Order());
        foreach (var review in reviews)
        {
            var dataset = review!["dataset"]!;
            Assert.Equal(Restricted, dataset["id"]!.GetValue<string>());
            Assert.Equal(restDetail["title"]!.GetValue<string>(), dataset["title"]!.GetValue<string>());
            Assert.Equal("restricted", dataset["classification"]!.GetValue<string>());
            Assert.Equal(restDetail["access"]!.GetValue<string>(), dataset["access"]!.GetValue<string>());
        }

        // A requester with requests for two datasets gets each request's own dataset, as the requester sees it.
        var requester = Consumer(host, Requesters[0]);
        var mine = (await PostAsync(requester, """{ accessRequests(role: "requester") { datasetId dataset { id access columns { name visibility } } } }""")).Ok()["accessRequests"]!.AsArray();
        Assert.Equal([Restricted, Sensitive], mine.Select(r => r!["dataset"]!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var request in mine)
        {
            var id = request!["datasetId"]!.GetValue<string>();
            Assert.Equal(id, request["dataset"]!["id"]!.GetValue<string>());
            var detail = await RestAsync(requester, $"/v1/datasets/{id}");
            Assert.Equal("pending", request["dataset"]!["access"]!.GetValue<string>());
            Assert.Equal(detail["access"]!.GetValue<string>(), request["dataset"]!["access"]!.GetValue<string>());
            Assert.Equal(Visibilities(detail["columns"]), Visibilities(request["dataset"]!["columns"]));
        }
    }

    private static List<(string, string?, string?, string)> Columns(JsonNode? columns) =>
        columns!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["type"]?.GetValue<string>(), c["tag"]?.GetValue<string>(), c["visibility"]!.GetValue<string>())).ToList();

    private static List<(string, string)> Visibilities(JsonNode? columns) =>
        columns!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["visibility"]!.GetValue<string>())).ToList();

    [DatabaseTheory, OnEachDatabase]
    public async Task Every_item_of_a_search_page_has_its_columns_and_access_as_REST_gives_them(string db)
    {
        var host = await hosts.GetAsync(db);
        foreach (var client in new[] { host.Anonymous(), Consumer(host, Requesters[1]), Reviewer(host, RestrictedOwner) })
        {
            var page = (await PostAsync(client, "{ datasets(first: 10) { items { id access columns { name visibility } } next } }")).Ok()["datasets"]!;
            var rest = await RestAsync(client, "/v1/datasets?limit=10");
            var items = page["items"]!.AsArray();
            Assert.Equal(rest["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()), items.Select(i => i!["id"]!.GetValue<string>()));
            Assert.Equal(5, items.Count);
            foreach (var item in items)
            {
                var id = item!["id"]!.GetValue<string>();
                var detail = await RestAsync(client, $"/v1/datasets/{id}");
                Assert.NotEmpty(item["columns"]!.AsArray());
                Assert.Equal(Visibilities(detail["columns"]), Visibilities(item["columns"]));
                Assert.Equal(detail["access"]!.GetValue<string>(), item["access"]!.GetValue<string>());
            }
        }
    }

    private const string EveryScalar = "id title description theme owner classification license updateFrequency version rowCount createdAt updatedAt access";

    /// <summary>
    /// Ordinary catalogue pages are well within the complexity limit: REST serves 100 datasets a page, and the same page over
    /// GraphQL with every scalar of each item costs about 100 × 13; ten datasets with four facts of each column a few hundred.
    /// </summary>
    [Theory]
    [InlineData("{ datasets(first: 100) { items { " + EveryScalar + " } next } }")]
    [InlineData("{ datasets { items { " + EveryScalar + " } } }")]
    [InlineData("{ datasets(first: 10) { items { id columns { name type tag visibility } } } }")]
    public async Task An_ordinary_catalogue_page_is_within_the_limits_and_equals_REST(string query)
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var client = host.Anonymous();
        var items = (await PostAsync(client, query)).Ok()["datasets"]!["items"]!.AsArray();
        Assert.Equal(5, items.Count);
        foreach (var item in items)
        {
            var detail = await RestAsync(client, $"/v1/datasets/{item!["id"]!.GetValue<string>()}");
            foreach (var (name, value) in item.AsObject())
            {
                if (name == "columns")
                {
                    Assert.Equal(Columns(detail["columns"]), Columns(value));
                }
                else if (name is "createdAt" or "updatedAt")
                {
                    Assert.Equal(detail[name]!.GetValue<DateTimeOffset>(), value!.GetValue<DateTimeOffset>());
                }
                else
                {
                    Assert.True(JsonNode.DeepEquals(detail[name], value), $"{name}: REST {detail[name]?.ToJsonString()} GraphQL {value?.ToJsonString()}");
                }
            }
        }
    }

    [Fact]
    public async Task Me_answers_who_the_token_speaks_for_and_null_without_one()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var me = (await PostAsync(Consumer(host, "gql-me"), "{ me { tenant scopes } }")).Ok()["me"]!;
        Assert.Equal("gql-me", me["tenant"]!.GetValue<string>());
        Assert.Contains("access:request", me["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null((await PostAsync(host.Anonymous(), "{ me { tenant } }")).Ok()["me"]);
    }
}
