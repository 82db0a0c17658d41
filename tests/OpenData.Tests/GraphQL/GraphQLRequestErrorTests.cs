using System.Net;
using System.Text;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.GraphQLCalls;

namespace OpenData.Tests.GraphQL;

/// <summary>
/// GraphQL over HTTP at the edges: documents that cannot run (unparsable, unknown fields and arguments, wrong types, too deep,
/// too complex, too many aliases, too long) are coded errors that come back at once, never a 500 or a timeout; bodies and
/// media types that are not GraphQL requests; GET for queries only; the legacy application/json rule.
/// </summary>
public sealed class GraphQLRequestErrorTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    /// <summary>A client of the shared host, after one request has built the schema (so the timings below are of the refusals alone).</summary>
    private async Task<HttpClient> ClientAsync()
    {
        var client = (await hosts.GetAsync(Db.Sqlite)).Anonymous();
        (await PostAsync(client, "{ __typename }")).Ok();
        return client;
    }

    /// <summary>A refused document: the status, one coded error, no data, within two seconds.</summary>
    private static async Task<Answer> RefusedAsync(HttpClient client, string query, HttpStatusCode status, string code, object? variables = null)
    {
        var answer = await PostAsync(client, query, variables);
        AssertQuick(answer);
        AssertRequestError(answer, status, code);
        return answer;
    }

    [Fact]
    public async Task An_unparsable_document_is_400_syntax_error_with_its_location()
    {
        var client = await ClientAsync();
        var answer = await RefusedAsync(client, """{ dataset(id: "x" { id } }""", HttpStatusCode.BadRequest, "graphql.syntax_error");
        var location = answer.Error("graphql.syntax_error")["locations"]![0]!;
        Assert.Equal(1, location["line"]!.GetValue<int>());
        Assert.Equal(19, location["column"]!.GetValue<int>());
        await RefusedAsync(client, "{", HttpStatusCode.BadRequest, "graphql.syntax_error");
    }

    [Fact]
    public async Task Unknown_fields_and_arguments_and_wrong_types_are_400_with_their_codes()
    {
        var client = await ClientAsync();
        var field = await RefusedAsync(client, """{ dataset(id: "ningbo-villages") { id nope } }""", HttpStatusCode.BadRequest, "graphql.unknown_field");
        Assert.Contains("nope", field.Error("graphql.unknown_field")["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await RefusedAsync(client, "{ nope }", HttpStatusCode.BadRequest, "graphql.unknown_field");
        await RefusedAsync(client, """{ dataset(id: "ningbo-villages", colour: "blue") { id } }""", HttpStatusCode.BadRequest, "graphql.unknown_argument");
        await RefusedAsync(client, """{ datasets(first: "ten") { next } }""", HttpStatusCode.BadRequest, "graphql.invalid_value");
        await RefusedAsync(client, """{ datasets(classification: secret) { next } }""", HttpStatusCode.BadRequest, "graphql.invalid_value");
        await RefusedAsync(client, "query($n: Int) { datasets(first: $n) { next } }", HttpStatusCode.BadRequest, "graphql.invalid_value", new { n = "many" });
        await RefusedAsync(client, "query($id: Identifier!) { dataset(id: $id) { id } }", HttpStatusCode.BadRequest, "graphql.unknown_type", new { id = "x" });
        await RefusedAsync(client, "{ dataset { id } }", HttpStatusCode.BadRequest, "graphql.missing_argument");
    }

    [Fact]
    public async Task An_over_deep_query_is_400_too_deep()
    {
        var client = await ClientAsync();
        // Introspection is the one place where the schema nests without end; 20 levels of ofType are over any sensible limit.
        var nested = "name";
        for (var i = 0; i < 20; i++)
        {
            nested = $"ofType {{ {nested} }}";
        }
        var answer = await RefusedAsync(client, $$"""{ __type(name: "Dataset") { fields { type { {{nested}} } } } }""", HttpStatusCode.BadRequest, "graphql.too_deep");
        Assert.Contains("depth", answer.Error("graphql.too_deep")["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        // Eleven levels are fine.
        var fine = "name";
        for (var i = 0; i < 7; i++)
        {
            fine = $"ofType {{ {fine} }}";
        }
        (await PostAsync(client, $$"""{ __type(name: "Dataset") { fields { type { {{fine}} } } } }""")).Ok();
    }

    [Fact]
    public async Task An_over_complex_query_is_400_too_complex_before_any_row_is_read()
    {
        var client = await ClientAsync();
        await RefusedAsync(client, "{ datasets(first: 100) { items { records(first: 1000) { items } } } }", HttpStatusCode.BadRequest, "graphql.too_complex");
        // Six pages of 1000 rows are more than 5000 rows of work.
        var six = string.Join(' ', Enumerable.Range(0, 6).Select(i => $$"""p{{i}}: dataset(id: "ningbo-villages") { records(first: 1000) { items } }"""));
        await RefusedAsync(client, $"{{ {six} }}", HttpStatusCode.BadRequest, "graphql.too_complex");
        // A page of 1000 rows alone is within the limit.
        var one = await PostAsync(client, """{ dataset(id: "ningbo-villages") { records(first: 1000) { items } } }""");
        Assert.Equal(1000, one.Ok()["dataset"]!["records"]!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_document_run_before_is_still_held_to_the_limits_its_variables_and_method_ask_for()
    {
        var client = await ClientAsync();
        // The host keeps parsed documents by their text; the same text with larger page sizes must still be weighed again.
        const string pages = "query($n: Int) { datasets(first: $n, classification: open) { items { id records(first: 1000) { next } } } }";
        (await PostAsync(client, pages, new { n = 1 })).Ok();
        (await PostAsync(client, pages, new { n = 1 })).Ok();
        await RefusedAsync(client, pages, HttpStatusCode.BadRequest, "graphql.too_complex", new { n = 50 });

        // A mutation that ran by POST is still refused by GET.
        const string revoke = """mutation { revokeGrant(id: "gr_cached", reason: "cached") { id } }""";
        AssertFieldError(await PostAsync(client, revoke), "auth.token_required", 401);
        AssertFieldError(await PostAsync(client, revoke), "auth.token_required", 401);
        AssertRequestError(await GetAsync(client, revoke), HttpStatusCode.MethodNotAllowed, "graphql.mutation_needs_post");
    }

    [Fact]
    public async Task More_than_thirty_aliases_are_400_too_many_aliases()
    {
        var client = await ClientAsync();
        var aliases = string.Join(' ', Enumerable.Range(0, 31).Select(i => $"a{i}: __typename"));
        await RefusedAsync(client, $"{{ {aliases} }}", HttpStatusCode.BadRequest, "graphql.too_many_aliases");
        var thirty = string.Join(' ', Enumerable.Range(0, 30).Select(i => $"a{i}: __typename"));
        Assert.Equal("Query", (await PostAsync(client, $"{{ {thirty} }}")).Ok()["a29"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_document_over_16384_characters_is_413_and_a_body_over_64_KiB_too()
    {
        var client = await ClientAsync();
        var padding = new string(' ', 20_000);
        await RefusedAsync(client, "{ __typename" + padding + "}", HttpStatusCode.RequestEntityTooLarge, "graphql.document_too_large");
        // The limit is on characters, to the one: 16,384 run, 16,385 do not.
        var longest = "{ __typename" + new string(' ', 16_384 - 13) + "}";
        Assert.Equal(16_384, longest.Length);
        Assert.Equal("Query", (await PostAsync(client, longest)).Ok()["__typename"]!.GetValue<string>());
        await RefusedAsync(client, longest + " ", HttpStatusCode.RequestEntityTooLarge, "graphql.document_too_large");
        // Over GET such a document does not even fit the request line Kestrel takes (8 KiB): 414, still no 500.
        var get = await GetAsync(client, "{ __typename" + padding + "}");
        AssertQuick(get);
        Assert.True(get.Status is HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestEntityTooLarge, get.ToString());
        // The body limit holds even when the query is short: 70,000 bytes of variables.
        var answer = await PostAsync(client, "{ __typename }", new { blob = new string('x', 70_000) });
        AssertQuick(answer);
        AssertRequestError(answer, HttpStatusCode.RequestEntityTooLarge, "graphql.document_too_large");
        // A chunked body announces no length: it is cut off as it is read.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$$"""{"query": "{ __typename }", "variables": {"blob": "{{{new string('x', 70_000)}}}"}}"""))),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        var chunked = await SendAsync(client, request);
        AssertQuick(chunked);
        AssertRequestError(chunked, HttpStatusCode.RequestEntityTooLarge, "graphql.document_too_large");
    }

    [Fact]
    public async Task A_body_that_is_not_a_GraphQL_request_is_400_bad_request()
    {
        var client = await ClientAsync();
        foreach (var body in new[] { "{ not json", "[1, 2]", "{}", """{"query": ""}""", """{"variables": {}}""", "" })
        {
            var answer = await PostRawAsync(client, body, "application/json");
            AssertQuick(answer);
            AssertRequestError(answer, HttpStatusCode.BadRequest, "graphql.bad_request");
        }
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415_and_an_answer_nobody_accepts_is_406()
    {
        var client = await ClientAsync();
        var text = await PostRawAsync(client, "{ __typename }", "text/plain");
        AssertQuick(text);
        AssertRequestError(text, HttpStatusCode.UnsupportedMediaType, "graphql.unsupported_media_type");
        var graphql = await PostRawAsync(client, "{ __typename }", "application/graphql");
        AssertRequestError(graphql, HttpStatusCode.UnsupportedMediaType, "graphql.unsupported_media_type");

        var xml = await PostAsync(client, "{ __typename }", accept: "application/xml");
        AssertQuick(xml);
        Assert.Equal(HttpStatusCode.NotAcceptable, xml.Status);
        Assert.Equal("graphql.not_acceptable", Assert.Single(xml.Codes));
    }

    [Fact]
    public async Task GET_runs_queries_with_variables_from_the_query_string_and_refuses_mutations_with_405()
    {
        var client = await ClientAsync();
        var answer = await GetAsync(client, "query($id: ID!) { dataset(id: $id) { id classification } }", new { id = "ningbo-villages" });
        var dataset = answer.Ok()["dataset"]!;
        Assert.Equal(ResponseMediaType, answer.MediaType);
        Assert.Equal("ningbo-villages", dataset["id"]!.GetValue<string>());
        Assert.Equal("open", dataset["classification"]!.GetValue<string>());

        var mutation = await GetAsync(client, """mutation { revokeGrant(id: "gr_none", reason: "by GET") { id } }""");
        AssertQuick(mutation);
        AssertRequestError(mutation, HttpStatusCode.MethodNotAllowed, "graphql.mutation_needs_post");
        Assert.Contains("POST", mutation.Response.Content.Headers.Allow);

        // With several operations, GET runs the query it is asked for and refuses only the mutation.
        const string both = """query Q { __typename } mutation M { revokeGrant(id: "gr_none", reason: "x") { id } }""";
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?operationName=Q&query=" + Uri.EscapeDataString(both)))
        {
            Assert.Equal("Query", (await SendAsync(client, request)).Ok()["__typename"]!.GetValue<string>());
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?operationName=M&query=" + Uri.EscapeDataString(both)))
        {
            AssertRequestError(await SendAsync(client, request), HttpStatusCode.MethodNotAllowed, "graphql.mutation_needs_post");
        }

        var badVariables = await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "/graphql?query=%7B__typename%7D&variables=%7Bnot-json"));
        AssertQuick(badVariables);
        AssertRequestError(badVariables, HttpStatusCode.BadRequest, "graphql.bad_request");
        var noQuery = await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "/graphql"));
        AssertRequestError(noQuery, HttpStatusCode.BadRequest, "graphql.bad_request");
    }

    [Fact]
    public async Task Under_application_json_only_request_errors_answer_200_as_the_legacy_rule_says()
    {
        var client = await ClientAsync();
        var answer = await PostAsync(client, "{ nope }", accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json", answer.MediaType);
        Assert.Null(answer.Data);
        Assert.Equal(["graphql.unknown_field"], answer.Codes);

        var fine = await PostAsync(client, "{ __typename }", accept: "application/json");
        Assert.Equal("application/json", fine.MediaType);
        Assert.Equal("Query", fine.Ok()["__typename"]!.GetValue<string>());

        // Without Accept the answer is application/graphql-response+json and the request error keeps its 400.
        var bare = await PostAsync(client, "{ nope }", accept: null);
        AssertRequestError(bare, HttpStatusCode.BadRequest, "graphql.unknown_field");
    }

    [Fact]
    public async Task A_field_error_keeps_the_other_fields_and_answers_200()
    {
        var client = await ClientAsync();
        var answer = await PostAsync(client, """
            { open: dataset(id: "ningbo-villages") { id }
              closed: dataset(id: "hotline-12345-requests") { id records(first: 1) { items } } }
            """);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("ningbo-villages", answer.Data!["open"]!["id"]!.GetValue<string>());
        Assert.Null(answer.Data["closed"]);
        Assert.Single(answer.Errors);
        var error = AssertFieldError(answer, "auth.token_required", 401);
        Assert.Equal(["closed", "records"], error["path"]!.AsArray().Select(p => p!.GetValue<string>()));

        // grants is non-null at the root, so its error nulls the whole data, as GraphQL's null propagation says.
        var grants = await PostAsync(client, "{ __typename grants { id } }");
        AssertFieldError(grants, "auth.token_required", 401);
        Assert.Null(grants.Body!["data"]);
    }

    [Fact]
    public async Task Limits_follow_the_settings_of_the_host()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite, new Dictionary<string, string?>
        {
            ["OpenData:GraphQL:MaxDepth"] = "3",
            ["OpenData:GraphQL:MaxComplexity"] = "150",
            ["OpenData:GraphQL:MaxAliases"] = "2",
            ["OpenData:GraphQL:MaxDocumentLength"] = "300",
        });
        var client = host.Anonymous();
        (await PostAsync(client, """{ dataset(id: "ningbo-villages") { records(first: 100) { items } } }""")).Ok();
        await RefusedAsync(client, """{ accessRequests { dataset { columns { name } } } }""", HttpStatusCode.BadRequest, "graphql.too_deep");
        await RefusedAsync(client, """{ dataset(id: "ningbo-villages") { records(first: 200) { items } } }""", HttpStatusCode.BadRequest, "graphql.too_complex");
        await RefusedAsync(client, "{ a: __typename b: __typename c: __typename }", HttpStatusCode.BadRequest, "graphql.too_many_aliases");
        await RefusedAsync(client, "{ __typename" + new string(' ', 300) + "}", HttpStatusCode.RequestEntityTooLarge, "graphql.document_too_large");
    }

    [Fact]
    public async Task Nothing_the_endpoint_is_sent_answers_500()
    {
        var client = await ClientAsync();
        var junk = new[]
        {
            """{"query": 42}""", """{"query": "{ __typename }", "variables": "x"}""", """{"query": "{ __typename }", "variables": [1]}""",
            """{"query": "{ __typename }", "operationName": "Nope"}""", """{"query": "query A { __typename } query A { __typename }"}""",
            """{"query": "{ dataset(id: \"ningbo-villages\") { records(first: -1) { items } } }"}""",
            """{"query": "{ dataset(id: \"ningbo-villages\") { records(first: 2147483647) { items } } }"}""",
            """{"query": "{ dataset(id: \"ningbo-villages\") { records(orderBy: \"\u0000\") { items } } }"}""",
            """{"query": "fragment F on Query { ...F } { ...F }"}""",
            """{"query": "{ __typename @skip(if: \"maybe\") }"}""",
        };
        foreach (var body in junk)
        {
            var answer = await PostRawAsync(client, body, "application/json");
            AssertQuick(answer);
            Assert.True((int)answer.Status is 200 or 400, $"{body}: {answer}");
            Assert.NotEmpty(answer.Errors);
            Assert.All(answer.Codes, code => Assert.False(string.IsNullOrEmpty(code) || code == "internal.error", $"{body}: {answer}"));
        }
        var utf8 = await PostRawAsync(client, Encoding.Latin1.GetString([0x7B, 0xFF, 0xFE, 0x7D]), "application/json");
        Assert.NotEqual(HttpStatusCode.InternalServerError, utf8.Status);
    }
}
