using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OpenData.Bench;

/// <summary>
/// Scenario 8: the same page of records through GraphQL and through REST. <c>POST /graphql</c> with
/// <c>dataset(id: "ningbo-villages") { records(first, where, orderBy) { items next } }</c> against
/// <c>GET /v1/datasets/ningbo-villages/records?limit=…&amp;where=…&amp;order_by=…</c>, anonymous, on one host, for a page of 100
/// and of 1,000 rows, unfiltered and filtered + ordered. REST is the baseline; GraphQL runs the same read path
/// (<c>RecordReader.ReadPageAsync</c>) behind its executer, its catalogue lookup of <c>dataset(id:)</c> and its serialiser.
/// </summary>
internal static class GraphQLScenario
{
    /// <summary>The seeded open dataset (3,042 rows, the villages' six columns): small enough that the database does not dominate.</summary>
    public const string DatasetId = "ningbo-villages";

    public const string Query =
        "query($first:Int,$where:String,$orderBy:String){ dataset(id:\"" + DatasetId + "\"){ records(first:$first, where:$where, orderBy:$orderBy){ items next } } }";

    private static readonly int[] PageSizes = [100, 1000];

    /// <summary>(label, where, order): the same filter and order on both sides; null = none.</summary>
    private static readonly (string Label, string? Where, string? OrderBy)[] Queries =
    [
        ("no filter", null, null),
        ("where areaCode = '330203' order by name", "areaCode = '330203'", "name"),
    ];

    public static async Task RunAsync(BenchContext context, string db, ChildProcess platform, HttpClient client, Func<TimeSpan>? databaseCpu,
        CancellationToken cancellationToken)
    {
        var options = context.Options;
        BenchRun.Section($"Scenario 8 ({db}): GraphQL vs REST — the same page of {DatasetId}, anonymous, pages of {string.Join(" and ", PageSizes)}");

        // Every pair is checked once before anything is timed: both answer 200, GraphQL without errors, with the same rows and the same next.
        var pairs = new List<(string Label, int Limit, LoadRequest GraphQL, LoadRequest Baseline, int Rows)>();
        foreach (var limit in PageSizes)
        {
            foreach (var (label, where, orderBy) in Queries)
            {
                var rest = LoadDriver.Get(RestPath(limit, where, orderBy));
                var graphql = GraphQLRequest(limit, where, orderBy);
                var rows = await CheckSameAsync(client, graphql, rest, cancellationToken);
                pairs.Add(($"records {label}, limit {limit}", limit, graphql, rest, rows));
                Console.WriteLine($"checked: {label}, limit {limit}: GraphQL and REST answer the same {rows} rows and the same next");
            }
        }

        // /graphql runs code nothing before it ran (parser, validation, complexity, executer, its serialiser): settle both paths first.
        var settled = await LoadDriver.SettleAsync(client, pairs[0].GraphQL, platform, options.Workers, "GraphQL records", cancellationToken)
            + await LoadDriver.SettleAsync(client, pairs[0].Baseline, platform, options.Workers, "REST records", cancellationToken);

        foreach (var (label, limit, graphqlRequest, restRequest, rows) in pairs)
        {
            BenchRun.Section($"Scenario 8 ({db}): {label} ({rows} rows), GraphQL vs REST");
            var (graphql, rest) = await LoadDriver.CompareAsync(client, graphqlRequest, client, restRequest, options, cancellationToken, platform, platform, databaseCpu);
            Console.WriteLine($"GraphQL {graphql.Describe()}");
            Console.WriteLine($"REST    {rest.Describe()}");
            if (databaseCpu is not null)
            {
                Console.WriteLine($"PostgreSQL backends {graphql.DatabaseCpuMsPerRequest:F3} vs {rest.DatabaseCpuMsPerRequest:F3} ms a request");
            }
            var ratio = graphql.RequestsPerSecond / rest.RequestsPerSecond;
            context.Report.Add(new ScenarioResult(db, $"{label}: GraphQL vs REST",
                $"{graphql.RequestsPerSecond:F0} req/s", $"{rest.RequestsPerSecond:F0} req/s", ratio, "≥ 0.8×", ratio >= 0.8,
                $"{DatasetId}, anonymous, {rows} rows a page; p50 {graphql.Percentile(50):F1} ms vs {rest.Percentile(50):F1} ms, " +
                $"p99 {graphql.Percentile(99):F1} ms vs {rest.Percentile(99):F1} ms; " +
                $"server CPU {graphql.CpuMsPerRequest:F3} vs {rest.CpuMsPerRequest:F3} ms a request (+{graphql.CpuMsPerRequest - rest.CpuMsPerRequest:F3} ms)" +
                (databaseCpu is null
                    ? " (SQLite runs in the host); "
                    : $", PostgreSQL backends of the bench database {graphql.DatabaseCpuMsPerRequest:F3} vs {rest.DatabaseCpuMsPerRequest:F3} ms " +
                      $"(+{graphql.DatabaseCpuMsPerRequest - rest.DatabaseCpuMsPerRequest:F3} ms); ") +
                $"{graphql.Bytes / Math.Max(1, graphql.Requests):N0} vs {rest.Bytes / Math.Max(1, rest.Requests):N0} bytes a response; " +
                $"both on the same host and client; rows and next checked equal before and after; both paths settled first ({settled.TotalSeconds:F0} s in all)"));
        }

        // And again after the load: a page that broke under load would not show in the status codes (GraphQL answers field errors with 200).
        foreach (var (_, _, graphqlRequest, restRequest, _) in pairs)
        {
            await CheckSameAsync(client, graphqlRequest, restRequest, cancellationToken);
        }
    }

    public static string RestPath(int limit, string? where, string? orderBy) =>
        $"/v1/datasets/{DatasetId}/records?limit={limit.ToString(CultureInfo.InvariantCulture)}" +
        (where is null ? "" : "&where=" + Uri.EscapeDataString(where)) +
        (orderBy is null ? "" : "&order_by=" + Uri.EscapeDataString(orderBy));

    public static LoadRequest GraphQLRequest(int limit, string? where, string? orderBy, string query = Query)
    {
        var variables = new Dictionary<string, object> { ["first"] = limit };
        if (where is not null)
        {
            variables["where"] = where;
        }
        if (orderBy is not null)
        {
            variables["orderBy"] = orderBy;
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["query"] = query, ["variables"] = variables });
        return new LoadRequest($"POST /graphql (first {limit}, where {where ?? "none"}, orderBy {orderBy ?? "none"})", () =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpRequestMessage(HttpMethod.Post, new Uri("/graphql", UriKind.Relative)) { Content = content };
        });
    }

    /// <summary>Both answers parsed: 200, no GraphQL errors, the same items (compared as JSON values) and the same next; returns the row count.</summary>
    private static async Task<int> CheckSameAsync(HttpClient client, LoadRequest graphql, LoadRequest rest, CancellationToken cancellationToken)
    {
        using var restDocument = await SendAsync(client, rest, cancellationToken);
        using var graphqlDocument = await SendAsync(client, graphql, cancellationToken);
        if (graphqlDocument.RootElement.TryGetProperty("errors", out var errors))
        {
            throw new InvalidOperationException($"{graphql.Label} answered errors: {errors.GetRawText()}");
        }
        var page = graphqlDocument.RootElement.GetProperty("data").GetProperty("dataset").GetProperty("records");
        var restItems = restDocument.RootElement.GetProperty("items");
        var graphqlItems = page.GetProperty("items");
        if (restItems.GetArrayLength() == 0 || restItems.GetArrayLength() != graphqlItems.GetArrayLength())
        {
            throw new InvalidOperationException($"{graphql.Label}: {graphqlItems.GetArrayLength()} rows; {rest.Label}: {restItems.GetArrayLength()}");
        }
        var i = 0;
        foreach (var (a, b) in restItems.EnumerateArray().Zip(graphqlItems.EnumerateArray()))
        {
            if (!JsonElement.DeepEquals(a, b) || !a.EnumerateObject().Select(p => p.Name).SequenceEqual(b.EnumerateObject().Select(p => p.Name)))
            {
                throw new InvalidOperationException($"row {i}: REST has {a.GetRawText()}, GraphQL {b.GetRawText()}");
            }
            i++;
        }
        var restNext = restDocument.RootElement.GetProperty("next");
        var graphqlNext = page.GetProperty("next");
        if (!JsonElement.DeepEquals(restNext, graphqlNext))
        {
            throw new InvalidOperationException($"next: REST has {restNext.GetRawText()}, GraphQL {graphqlNext.GetRawText()}");
        }
        return restItems.GetArrayLength();
    }

    private static async Task<JsonDocument> SendAsync(HttpClient client, LoadRequest request, CancellationToken cancellationToken)
    {
        using var message = request.Create();
        using var response = await client.SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{request.Label} answered {(int)response.StatusCode}: {body}");
        }
        return JsonDocument.Parse(body);
    }
}
