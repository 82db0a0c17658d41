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
        // Kestrel refuses an over-long request line (414) or header set (431) before any middleware, with no body to carry a code.
        if (response.StatusCode is HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge && text.Length == 0)
        {
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
