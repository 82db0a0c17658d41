using System.Net;
using System.Text.Json.Nodes;

namespace OpenData.Tests.Infrastructure;

/// <summary>Checks an error answer is RFC 9457 problem+json with the expected status and machine code, and a traceId.</summary>
public static class ProblemAssert
{
    public static async Task<JsonNode> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(code, problem["code"]?.GetValue<string>());
        Assert.Equal((int)status, problem["status"]?.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["traceId"]?.GetValue<string>()), $"traceId missing: {text}");
        Assert.False(string.IsNullOrWhiteSpace(problem["type"]?.GetValue<string>()), $"type missing: {text}");
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), $"detail missing: {text}");
        return problem;
    }
}
