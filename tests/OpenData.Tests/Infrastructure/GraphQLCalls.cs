using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenData.Tests.Infrastructure;

/// <summary>Sends GraphQL requests over HTTP as a client would (<c>{query, variables}</c> as JSON) and reads the answers.</summary>
internal static class GraphQLCalls
{
    public const string ResponseMediaType = "application/graphql-response+json";

    /// <summary>What a client asks for by default under GraphQL over HTTP.</summary>
    public const string DefaultAccept = "application/graphql-response+json, application/json;q=0.9";

    /// <summary>An answer: the response, its parsed body (null when it is not JSON) and how long it took.</summary>
    public sealed record Answer(HttpResponseMessage Response, string Text, JsonNode? Body, TimeSpan Elapsed)
    {
        public HttpStatusCode Status => Response.StatusCode;

        public string? MediaType => Response.Content.Headers.ContentType?.MediaType;

        public JsonNode? Data => Body?["data"];

        public JsonArray Errors => Body?["errors"]?.AsArray() ?? [];

        /// <summary>The codes of all errors, in order.</summary>
        public IReadOnlyList<string?> Codes => Errors.Select(e => e?["extensions"]?["code"]?.GetValue<string>()).ToList();

        /// <summary>The one error of the answer with <paramref name="code"/>; fails the test (with the body) when there is none.</summary>
        public JsonNode Error(string code)
        {
            var error = Errors.FirstOrDefault(e => e?["extensions"]?["code"]?.GetValue<string>() == code);
            Assert.True(error is not null, $"expected an error with extensions.code {code}, got {(int)Status}: {Text}");
            return error!;
        }

        /// <summary>Fails the test unless the answer is 200 with data and no errors; answers the data.</summary>
        public JsonNode Ok()
        {
            Assert.True(Status == HttpStatusCode.OK && Body?["errors"] is null && Data is not null, $"expected 200 with data and no errors, got {(int)Status}: {Text}");
            return Data!;
        }

        public override string ToString() => $"{(int)Status} {MediaType}: {Text}";
    }

    public static Task<Answer> PostAsync(HttpClient client, string query, object? variables = null, string? accept = DefaultAccept, string? operationName = null)
    {
        var body = new JsonObject { ["query"] = query };
        if (variables is not null)
        {
            body["variables"] = JsonSerializer.SerializeToNode(variables);
        }
        if (operationName is not null)
        {
            body["operationName"] = operationName;
        }
        return PostRawAsync(client, body.ToJsonString(), "application/json", accept);
    }

    public static async Task<Answer> PostRawAsync(HttpClient client, string body, string contentType, string? accept = DefaultAccept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await SendAsync(client, request, accept);
    }

    /// <summary>GET /graphql with the query (and variables as JSON) in the query string.</summary>
    public static async Task<Answer> GetAsync(HttpClient client, string query, object? variables = null, string? accept = DefaultAccept)
    {
        var url = "/graphql?query=" + Uri.EscapeDataString(query);
        if (variables is not null)
        {
            url += "&variables=" + Uri.EscapeDataString(JsonSerializer.Serialize(variables));
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(client, request, accept);
    }

    public static async Task<Answer> SendAsync(HttpClient client, HttpRequestMessage request, string? accept = DefaultAccept)
    {
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        var watch = Stopwatch.StartNew();
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        watch.Stop();
        JsonNode? body = null;
        try
        {
            body = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
        }
        return new Answer(response, text, body, watch.Elapsed);
    }

    /// <summary>A GraphQL error answer of a request that could not run: the status, the media type asked for, one error with the code and a message.</summary>
    public static JsonNode AssertRequestError(Answer answer, HttpStatusCode status, string code)
    {
        Assert.True(answer.Status == status, $"expected {(int)status} {code}, got {answer}");
        Assert.Equal(ResponseMediaType, answer.MediaType);
        Assert.Null(answer.Data);
        var error = answer.Error(code);
        Assert.False(string.IsNullOrWhiteSpace(error["message"]?.GetValue<string>()), answer.Text);
        return error;
    }

    /// <summary>A field error: HTTP 200, the code and the status REST would answer in <c>extensions</c>.</summary>
    public static JsonNode AssertFieldError(Answer answer, string code, int status)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"field errors answer 200, got {answer}");
        Assert.Equal(ResponseMediaType, answer.MediaType);
        var error = answer.Error(code);
        Assert.Equal(status, error["extensions"]!["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]?.GetValue<string>()), answer.Text);
        return error;
    }

    /// <summary>Rows equal one by one, each with the same keys in the same order.</summary>
    public static void AssertSameRows(JsonNode? rest, JsonNode? graph)
    {
        Assert.NotNull(rest);
        Assert.NotNull(graph);
        var expected = rest!.AsArray();
        var actual = graph!.AsArray();
        Assert.True(expected.Count == actual.Count, $"REST has {expected.Count} rows, GraphQL {actual.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i], actual[i]), $"row {i}: REST {expected[i]?.ToJsonString()} GraphQL {actual[i]?.ToJsonString()}");
            Assert.Equal(expected[i]!.AsObject().Select(p => p.Key), actual[i]!.AsObject().Select(p => p.Key));
        }
    }

    /// <summary>Fails unless the answer came back within the time a refusal should take (it never runs anything).</summary>
    public static void AssertQuick(Answer answer, double seconds = 2)
    {
        Assert.True(answer.Elapsed < TimeSpan.FromSeconds(seconds), $"took {answer.Elapsed.TotalMilliseconds:F0} ms: {answer}");
        Assert.NotEqual(HttpStatusCode.InternalServerError, answer.Status);
    }

    /// <summary>A REST GET that must answer 200 with JSON.</summary>
    public static async Task<JsonNode> RestAsync(HttpClient client, string url) => await PlatformHost.ReadJsonAsync(await client.GetAsync(url));
}
