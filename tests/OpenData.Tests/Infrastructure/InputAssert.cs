using System.Net;
using System.Text.Json.Nodes;

namespace OpenData.Tests.Infrastructure;

/// <summary>Checks the answer to a hostile or careless input: success, or a 4xx problem with a machine code saying what to fix — never 5xx.</summary>
public static class InputAssert
{
    /// <summary>
    /// 2xx, or a 4xx problem+json with a <c>code</c> and a <c>detail</c>; when <paramref name="parameter"/> is given, a 400 names it
    /// (in <c>errors</c> or in the detail) so the caller knows which value to fix.
    /// </summary>
    public static async Task AnsweredAsync(HttpResponseMessage response, string attack, string? parameter = null)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status < 500, $"{attack}: {status} {text}");
        if (status < 400)
        {
            return;
        }
        // Kestrel refuses a request line it cannot decode (a NUL in the path: 400), an over-long one (414) or too many headers
        // (431) before any middleware runs, with an empty body: there is no platform code to carry.
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge
            && text.Length == 0 && response.Content.Headers.ContentType is null)
        {
            return;
        }
        if (response.RequestMessage?.RequestUri?.AbsolutePath.StartsWith("/graphql", StringComparison.Ordinal) == true
            && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            // GraphQL over HTTP answers with its own error shape; the machine code rides in each error's extensions.
            var graph = JsonNode.Parse(text)!;
            Assert.False(string.IsNullOrEmpty(graph["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>()), $"{attack}: no code in {text}");
            return;
        }
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{attack}: {status} not a problem: {text}");
        var problem = JsonNode.Parse(text)!;
        Assert.False(string.IsNullOrEmpty(problem["code"]?.GetValue<string>()), $"{attack}: no code in {text}");
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()), $"{attack}: no detail in {text}");
        if (parameter is not null && response.StatusCode == HttpStatusCode.BadRequest)
        {
            var named = problem["errors"]?[parameter] is not null || problem["detail"]!.GetValue<string>().Contains(parameter, StringComparison.Ordinal);
            Assert.True(named, $"{attack}: the 400 does not say that '{parameter}' is what to fix: {text}");
        }
    }
}
