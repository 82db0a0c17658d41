using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using static OpenData.Tests.Infrastructure.AccessScenarios;
using static OpenData.Tests.Infrastructure.GraphQLCalls;

namespace OpenData.Tests.GraphQL;

/// <summary>
/// Restricted rows over GraphQL: refused with REST's codes without a token or a grant, the whole access workflow by mutations
/// (request, approve narrowed, read, revoke), the refusals of each mutation, and the audit entries of a GraphQL read.
/// </summary>
public sealed class GraphQLAccessTests
{
    private const string RecordsQuery = """
        query Records($id: ID!, $select: [String!], $where: String, $orderBy: String, $first: Int) {
          dataset(id: $id) { id access records(select: $select, where: $where, orderBy: $orderBy, first: $first) { items next } }
        }
        """;

    private const string RequestAccess = """
        mutation Request($datasetId: ID!, $columns: [String!], $purpose: String!, $durationDays: Int!) {
          requestAccess(datasetId: $datasetId, columns: $columns, purpose: $purpose, durationDays: $durationDays) { id status datasetId requester columns }
        }
        """;

    private const string Decide = """
        mutation Decide($id: ID!, $decision: AccessDecisionKind!, $columns: [String!]) {
          decideAccessRequest(id: $id, decision: $decision, reason: "decided over GraphQL", columns: $columns) { id status grantId history { action actor to } }
        }
        """;

    private const string Revoke = """
        mutation Revoke($id: ID!) { revokeGrant(id: $id, reason: "purpose fulfilled") { id status revokedAt revokeReason } }
        """;

    private const string Purpose = "Research on response times of public services";

    private static Task<Answer> RequestAsync(HttpClient client, string dataset, string[]? columns = null, string purpose = Purpose, int durationDays = 30) =>
        PostAsync(client, RequestAccess, new { datasetId = dataset, columns, purpose, durationDays });

    private static Task<Answer> DecideAsync(HttpClient client, string id, string decision = "approve", string[]? columns = null) =>
        PostAsync(client, Decide, new { id, decision, columns });

    private static Task<Answer> RecordsAsync(HttpClient client, string dataset = Restricted, string[]? select = null, string? where = null, string? orderBy = null, int? first = null) =>
        PostAsync(client, RecordsQuery, new { id = dataset, select, where, orderBy, first });

    private static async Task<string> AccessAsync(HttpClient client, string dataset = Restricted) =>
        (await PostAsync(client, $$"""{ dataset(id: "{{dataset}}") { access } }""")).Ok()["dataset"]!["access"]!.GetValue<string>();

    private static async Task<string> RestAccessAsync(HttpClient client, string dataset = Restricted) =>
        (await RestAsync(client, $"/v1/datasets/{dataset}"))["access"]!.GetValue<string>();

    [DatabaseTheory, OnEachDatabase]
    public async Task A_restricted_dataset_is_requested_approved_read_and_revoked_over_GraphQL_as_over_REST(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = Consumer(host, "gql-analyst");
        var owner = Reviewer(host, RestrictedOwner);

        // Without a token: 401's code in a field error, HTTP 200, the dataset nulled by its non-null records.
        var anonymous = await RecordsAsync(host.Anonymous(), first: 5);
        AssertFieldError(anonymous, "auth.token_required", 401);
        Assert.True(anonymous.Data!.AsObject().ContainsKey("dataset") && anonymous.Data["dataset"] is null, anonymous.Text);
        Assert.Equal(await RestAccessAsync(host.Anonymous()), await AccessAsync(host.Anonymous()));

        // With a token but no grant: 403 access.grant_required, as REST.
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records"), HttpStatusCode.Forbidden, "access.grant_required");
        AssertFieldError(await RecordsAsync(consumer, first: 5), "access.grant_required", 403);
        Assert.Equal("requestable", await AccessAsync(consumer));

        // The consumer asks for four columns.
        var requested = (await RequestAsync(consumer, Restricted, ["ticketNo", "callerName", "callerIdCard", "district"])).Ok()["requestAccess"]!;
        var id = requested["id"]!.GetValue<string>();
        Assert.Equal("submitted", requested["status"]!.GetValue<string>());
        Assert.Equal("gql-analyst", requested["requester"]!.GetValue<string>());
        var restRequest = await RestAsync(consumer, $"/v1/access-requests/{id}");
        Assert.Equal("submitted", restRequest["status"]!.GetValue<string>());
        Assert.Equal(["ticketNo", "callerName", "callerIdCard", "district"], restRequest["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("pending", await AccessAsync(consumer));
        Assert.Equal("pending", await RestAccessAsync(consumer));
        AssertFieldError(await RecordsAsync(consumer, first: 5), "access.grant_required", 403);

        // The owner sees it among its reviews and approves three of the four columns.
        var reviews = (await PostAsync(owner, """{ accessRequests(role: "reviewer", status: "submitted") { id status } }""")).Ok()["accessRequests"]!.AsArray();
        Assert.Contains(reviews, r => r!["id"]!.GetValue<string>() == id);
        var approved = (await DecideAsync(owner, id, "approve", ["ticketNo", "callerIdCard", "district"])).Ok()["decideAccessRequest"]!;
        Assert.Equal("approved", approved["status"]!.GetValue<string>());
        Assert.Equal(["submit", "approve"], approved["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));
        var grantId = approved["grantId"]!.GetValue<string>();
        Assert.Equal("granted", await AccessAsync(consumer));

        // The consumer reads the narrowed, pseudonymised view, row for row what REST gives.
        var columns = (await PostAsync(consumer, $$"""{ dataset(id: "{{Restricted}}") { columns { name visibility } } }""")).Ok()["dataset"]!["columns"]!.AsArray();
        var detail = await RestAsync(consumer, $"/v1/datasets/{Restricted}");
        Assert.Equal(
            detail["columns"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["visibility"]!.GetValue<string>())),
            columns.Select(c => (c!["name"]!.GetValue<string>(), c["visibility"]!.GetValue<string>())));
        var visibility = columns.ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["visibility"]!.GetValue<string>());
        Assert.Equal("pseudonymised", visibility["callerIdCard"]);
        Assert.Equal("hidden", visibility["callerName"]);

        var graph = (await RecordsAsync(consumer, orderBy: "ticketNo", first: 20)).Ok()["dataset"]!["records"]!;
        var rest = await RestAsync(consumer, $"/v1/datasets/{Restricted}/records?order_by=ticketNo&limit=20");
        AssertSameRows(rest["items"], graph["items"]);
        Assert.Equal(rest["next"]?.GetValue<string>(), graph["next"]?.GetValue<string>());
        var rows = graph["items"]!.AsArray();
        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.Equal(["ticketNo", "callerIdCard", "district"], r!.AsObject().Select(p => p.Key)));
        Assert.All(rows, r => Assert.StartsWith("pt_", r!["callerIdCard"]!.GetValue<string>(), StringComparison.Ordinal));

        // Equality on a pseudonymised column with its token works over both.
        var token = rows[3]!["callerIdCard"]!.GetValue<string>();
        var byToken = (await RecordsAsync(consumer, where: $"callerIdCard = '{token}'")).Ok()["dataset"]!["records"]!["items"]!.AsArray();
        AssertSameRows((await RestAsync(consumer, $"/v1/datasets/{Restricted}/records?where={Uri.EscapeDataString($"callerIdCard = '{token}'")}"))["items"], byToken);
        Assert.Contains(byToken, r => r!["ticketNo"]!.GetValue<string>() == rows[3]!["ticketNo"]!.GetValue<string>());
        AssertFieldError(await RecordsAsync(consumer, select: ["callerName"]), "query.column_not_visible", 400);

        // Both sides list the grant, with its dataset.
        var grants = (await PostAsync(consumer, "{ grants { id status columns dataset { id access } } }")).Ok()["grants"]!.AsArray();
        var grant = Assert.Single(grants, g => g!["id"]!.GetValue<string>() == grantId)!;
        Assert.Equal("active", grant["status"]!.GetValue<string>());
        Assert.Equal(Restricted, grant["dataset"]!["id"]!.GetValue<string>());
        Assert.Equal("granted", grant["dataset"]!["access"]!.GetValue<string>());
        Assert.Contains((await PostAsync(owner, "{ grants { id } }")).Ok()["grants"]!.AsArray(), g => g!["id"]!.GetValue<string>() == grantId);

        // The owner revokes: the very next read is refused over both, and a second revocation is REST's 409.
        var revoked = (await PostAsync(owner, Revoke, new { id = grantId })).Ok()["revokeGrant"]!;
        Assert.Equal("revoked", revoked["status"]!.GetValue<string>());
        Assert.Equal("purpose fulfilled", revoked["revokeReason"]!.GetValue<string>());
        AssertFieldError(await RecordsAsync(consumer, first: 5), "access.grant_required", 403);
        await ProblemAssert.IsProblemAsync(await consumer.GetAsync($"/v1/datasets/{Restricted}/records"), HttpStatusCode.Forbidden, "access.grant_required");
        Assert.Equal("requestable", await AccessAsync(consumer));
        AssertFieldError(await PostAsync(owner, Revoke, new { id = grantId }), "access.grant_revoked", 409);
    }

    [Fact]
    public async Task Each_mutation_and_list_refuses_with_RESTs_code_and_status()
    {
        await using var host = await PlatformHost.StartAsync(Db.Sqlite);
        var consumer = Consumer(host, "gql-refused");
        var owner = Reviewer(host, RestrictedOwner);
        var anonymous = host.Anonymous();

        // No token, no scope.
        AssertFieldError(await RequestAsync(anonymous, Restricted), "auth.token_required", 401);
        var noScope = await RequestAsync(host.As("gql-no-scope", "catalogue:read", "records:read"), Restricted);
        AssertFieldError(noScope, "auth.insufficient_scope", 403);
        Assert.Null(noScope.Data!["requestAccess"]);
        foreach (var query in new[] { "{ accessRequests { id } }", "{ grants { id } }", """{ accessRequest(id: "ar_none") { id } }""" })
        {
            AssertFieldError(await PostAsync(anonymous, query), "auth.token_required", 401);
        }

        // An invalid request names the invalid fields, as REST's validation problem does.
        var invalid = await RequestAsync(consumer, Restricted, purpose: "short", durationDays: 0);
        var error = AssertFieldError(invalid, "request.validation", 400);
        var restInvalid = await ProblemAssert.IsProblemAsync(await consumer.PostAsJsonAsync("/v1/access-requests",
            new { datasetId = Restricted, purpose = "short", durationDays = 0 }), HttpStatusCode.BadRequest, "request.validation");
        var fields = error["extensions"]!["fields"]!.AsObject();
        Assert.Contains("purpose", fields.Select(f => f.Key));
        Assert.Equal(restInvalid["errors"]!.AsObject().Select(f => f.Key).Order(), fields.Select(f => f.Key).Order());
        Assert.All(fields, f => Assert.NotEmpty(f.Value!.AsArray()));

        // Open and unknown datasets are refused with REST's codes.
        foreach (var dataset in new[] { "ningbo-villages", "no-such-dataset" })
        {
            var response = await consumer.PostAsJsonAsync("/v1/access-requests", new { datasetId = dataset, purpose = Purpose, durationDays = 30 });
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True((int)response.StatusCode >= 400, problem.ToJsonString());
            AssertFieldError(await RequestAsync(consumer, dataset), problem["code"]!.GetValue<string>(), (int)response.StatusCode);
        }

        // Mutations run one after the other: of two requests for the same rows in one document, the second finds the first open.
        var twice = await PostAsync(consumer, $$"""
            mutation {
              first: requestAccess(datasetId: "{{Restricted}}", columns: ["ticketNo", "district"], purpose: "{{Purpose}}", durationDays: 30) { id status }
              second: requestAccess(datasetId: "{{Restricted}}", purpose: "{{Purpose}}", durationDays: 30) { id status }
            }
            """);
        var id = twice.Data!["first"]!["id"]!.GetValue<string>();
        Assert.Equal("submitted", twice.Data["first"]!["status"]!.GetValue<string>());
        Assert.Null(twice.Data["second"]);
        Assert.Equal(["second"], AssertFieldError(twice, "access.request_open", 409)["path"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Single((await RestAsync(consumer, "/v1/access-requests"))["items"]!.AsArray());
        AssertFieldError(await RequestAsync(consumer, Restricted), "access.request_open", 409);

        // Deciding: the requester lacks access:review; another owner cannot see the request; widening is invalid.
        AssertFieldError(await DecideAsync(consumer, id), "auth.insufficient_scope", 403);
        var stranger = Reviewer(host, "ningbo-civil-affairs");
        await ProblemAssert.IsProblemAsync(await AccessScenarios.DecideAsync(stranger, id, "approve"), HttpStatusCode.NotFound, "access.request_not_found");
        AssertFieldError(await DecideAsync(stranger, id), "access.request_not_found", 404);
        AssertFieldError(await PostAsync(stranger, $$"""{ accessRequest(id: "{{id}}") { id } }"""), "access.request_not_found", 404);
        AssertFieldError(await DecideAsync(owner, id, "approve", ["ticketNo", "callerName"]), "request.validation", 400);
        AssertFieldError(await PostAsync(owner, Revoke, new { id = "gr_none" }), "access.grant_not_found", 404);
        await RefusedDecisionValueAsync(owner, id);

        // requestChanges is REST's request-changes; the requester resubmits, then the owner rejects, and a second decision is 409.
        var changes = (await DecideAsync(owner, id, "requestChanges")).Ok()["decideAccessRequest"]!;
        Assert.Equal("changes_requested", changes["status"]!.GetValue<string>());
        var resubmitted = (await PostAsync(consumer, $$"""mutation { resubmitAccessRequest(id: "{{id}}", reason: "narrower", columns: ["ticketNo"]) { status columns } }""")).Ok()["resubmitAccessRequest"]!;
        Assert.Equal("submitted", resubmitted["status"]!.GetValue<string>());
        Assert.Equal(["ticketNo"], resubmitted["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        AssertFieldError(await PostAsync(owner, $$"""mutation { withdrawAccessRequest(id: "{{id}}") { status } }"""), "auth.insufficient_scope", 403);
        Assert.Equal("rejected", (await DecideAsync(owner, id, "reject")).Ok()["decideAccessRequest"]!["status"]!.GetValue<string>());
        AssertFieldError(await DecideAsync(owner, id), "access.invalid_transition", 409);
        var history = await RestAsync(consumer, $"/v1/access-requests/{id}");
        Assert.Equal(["submit", "request-changes", "resubmit", "reject"], history["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));

        // A new request can be withdrawn by its requester.
        var second = (await RequestAsync(consumer, Restricted)).Ok()["requestAccess"]!["id"]!.GetValue<string>();
        var withdrawn = (await PostAsync(consumer, $$"""mutation { withdrawAccessRequest(id: "{{second}}", reason: "not needed") { status } }""")).Ok();
        Assert.Equal("withdrawn", withdrawn["withdrawAccessRequest"]!["status"]!.GetValue<string>());
        AssertFieldError(await PostAsync(consumer, """{ accessRequests(role: "judge") { id } }"""), "query.invalid_parameter", 400);
    }

    /// <summary>A decision that is not one of the enum's values is a document error, not a field error.</summary>
    private static async Task RefusedDecisionValueAsync(HttpClient owner, string id)
    {
        var answer = await PostAsync(owner, $$"""mutation { decideAccessRequest(id: "{{id}}", decision: maybe, reason: "r") { id } }""");
        AssertRequestError(answer, HttpStatusCode.BadRequest, "graphql.invalid_value");
        var byVariable = await PostAsync(owner, Decide, new { id, decision = "request-changes" });
        AssertRequestError(byVariable, HttpStatusCode.BadRequest, "graphql.invalid_value");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_GraphQL_read_of_restricted_rows_is_audited_as_a_REST_read_is(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var consumer = Consumer(host, "gql-audited");
        var owner = Reviewer(host, RestrictedOwner);
        var id = (await RequestAsync(consumer, Restricted, ["ticketNo", "district"])).Ok()["requestAccess"]!["id"]!.GetValue<string>();
        (await DecideAsync(owner, id)).Ok();

        var graph = (await RecordsAsync(consumer, select: ["ticketNo", "district"], orderBy: "ticketNo", first: 3)).Ok();
        Assert.Equal(3, graph["dataset"]!["records"]!["items"]!.AsArray().Count);
        // Open rows are not audited over GraphQL either.
        (await RecordsAsync(consumer, "ningbo-villages", first: 2)).Ok();
        Assert.Equal(HttpStatusCode.OK, (await consumer.GetAsync($"/v1/datasets/{Restricted}/records?select=ticketNo,district&order_by=ticketNo&limit=3")).StatusCode);

        var trail = (await RestAsync(owner, "/v1/audit?limit=1000"))["items"]!.AsArray();
        Assert.Equal(["access_request.submitted", "access_request.decided", "grant.created", "records.read", "records.read"],
            trail.Select(e => e!["type"]!.GetValue<string>()).Where(t => !t.StartsWith("app.", StringComparison.Ordinal)));
        var reads = trail.Where(e => e!["type"]!.GetValue<string>() == "records.read").ToList();
        var (byGraph, byRest) = (reads[0]!, reads[1]!);
        Assert.Equal("gql-audited", byGraph["actorTenant"]!.GetValue<string>());
        Assert.Equal(Restricted, byGraph["datasetId"]!.GetValue<string>());
        Assert.Equal(3, byGraph["details"]!["rows"]!.GetValue<long>());
        Assert.Equal(["ticketNo", "district"], byGraph["details"]!["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        // The same query over either API leaves the same details: version, columns, rows and the query's hash.
        Assert.True(JsonNode.DeepEquals(byRest["details"], byGraph["details"]), $"REST {byRest["details"]?.ToJsonString()} GraphQL {byGraph["details"]?.ToJsonString()}");
        Assert.Equal(2, (await RestAsync(consumer, "/v1/audit?type=records.read"))["items"]!.AsArray().Count);
    }
}
