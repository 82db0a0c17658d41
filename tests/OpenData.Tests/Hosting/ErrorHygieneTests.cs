using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using OpenData.Platform.Common;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting;

/// <summary>
/// Issue 13 item 11, as the attack: a prober sends bodies of the wrong shape and GraphQL variables of the wrong type to
/// learn the stack from the errors, and crafts input that ends up in a download's file name. Every answer is a 400 that
/// says what to fix, with no .NET type in it; a file name never breaks out of its header.
/// </summary>
public sealed partial class ErrorHygieneTests
{
    [GeneratedRegex(@"System\.|Microsoft\.|OpenData\.|GraphQL\.|Npgsql|Exception|Nullable|`1")]
    private static partial Regex DotNet();

    private static async Task<string> AssertBadRequestWithoutTypesAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: expected 400, got {(int)response.StatusCode}: {text}");
        Assert.False(DotNet().IsMatch(text), $"{what}: the answer names .NET types: {text}");
        return text;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [DatabaseTheory, OnEachDatabase]
    public async Task Bodies_of_the_wrong_shape_get_a_400_that_names_the_place_and_no_dotnet_type(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var owner = host.Owner();
        var consumer = AccessScenarios.Consumer(host, "prober");
        var operatorClient = AccessScenarios.Platform(host);
        var probes = new (HttpClient Client, HttpMethod Method, string Url, string Body, string Says)[]
        {
            (owner, HttpMethod.Post, "/v1/datasets", "{\"id\": 5}", "$.id"),
            (owner, HttpMethod.Post, "/v1/datasets", "{\"id\": \"x\", \"columns\": \"all\"}", "$.columns"),
            (owner, HttpMethod.Post, "/v1/datasets", "{\"id\": ", "line 1"),
            (owner, HttpMethod.Post, "/v1/datasets", "[1, 2]", "not"),
            (owner, HttpMethod.Patch, "/v1/datasets/ningbo-villages/columns/name", "{\"tag\": [\"pii.name\"]}", "$.tag"),
            (consumer, HttpMethod.Post, "/v1/access-requests", "{\"datasetId\": \"x\", \"purpose\": \"p\", \"durationDays\": \"thirty\"}", "whole number"),
            (consumer, HttpMethod.Post, "/v1/access-requests", "{\"datasetId\": true}", "a string"),
            (operatorClient, HttpMethod.Post, "/v1/tenants", "{\"id\": {\"nested\": 1}}", "$.id"),
            (operatorClient, HttpMethod.Patch, "/v1/tenants/prober", "{\"limits\": {\"rows\": \"many\"}}", "$.limits.rows"),
        };
        foreach (var (client, method, url, body, says) in probes)
        {
            using var request = new HttpRequestMessage(method, url) { Content = Json(body) };
            var response = await client.SendAsync(request);
            var text = await AssertBadRequestWithoutTypesAsync(response, $"{method} {url} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(text.Contains(says, StringComparison.Ordinal), $"{method} {url} {body}: expected '{says}' in {text}");
        }
        // A query parameter of the wrong type is named as the client spelt it.
        var limit = await AssertBadRequestWithoutTypesAsync(await host.Anonymous().GetAsync("/v1/datasets/ningbo-villages/records?limit=all"), "limit=all");
        Assert.Contains("'limit' must be a whole number", limit, StringComparison.Ordinal);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task GraphQL_requests_and_variables_of_the_wrong_type_get_errors_without_dotnet_types_and_of_bounded_size(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        var query = "query($n: Int, $q: String) { datasets(first: $n, q: $q) { next } }";
        var huge = new string('9', 60_000);
        foreach (var body in new[]
        {
            "{\"query\": 5}",
            "{\"query\": \"{ datasets { next } }\", \"variables\": \"abc\"}",
            "{\"query\": \"{ datasets { next } }\", \"variables\": [1]}",
            "{\"query\": \"{ datasets { next } }\", \"operationName\": 5}",
            $"{{\"query\": \"{query}\", \"variables\": {{\"n\": \"ten\"}}}}",
            $"{{\"query\": \"{query}\", \"variables\": {{\"n\": {{\"a\": 1}}}}}}",
            $"{{\"query\": \"{query}\", \"variables\": {{\"q\": [1, 2]}}}}",
            $"{{\"query\": \"{query}\", \"variables\": {{\"n\": \"{huge}\"}}}}",
        })
        {
            var text = await AssertBadRequestWithoutTypesAsync(await client.PostAsync("/graphql", Json(body)), body.Length > 200 ? body[..200] : body);
            Assert.Contains("\"code\"", text, StringComparison.Ordinal);
            // An error is never bigger than what the platform lets into a log line: a 60 kB value is not echoed whole.
            Assert.True(text.Length < ClientErrorText.MaxLoggedChars + 500, $"{text.Length} characters of error");
        }
        var get = await client.GetAsync("/graphql?query=" + Uri.EscapeDataString(query) + "&variables=" + Uri.EscapeDataString("[\"x\"]"));
        await AssertBadRequestWithoutTypesAsync(get, "GET variables=[x]");
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_file_name_built_from_input_cannot_break_out_of_Content_Disposition(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        // An operator names any tenant; the name goes into the usage file's name.
        var planted = "evil\"; filename=..\\..\\startup.bat\r\nSet-Cookie: session=stolen; x=/../../etc/passwd 名单";
        var response = await AccessScenarios.Platform(host).GetAsync("/v1/usage?format=csv&tenant=" + Uri.EscapeDataString(planted));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var raw = response.Content.Headers.GetValues("Content-Disposition").Single();
        Assert.DoesNotContain('\r', raw);
        Assert.DoesNotContain('\n', raw);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(2, disposition.Parameters.Count);
        Assert.True(Regex.IsMatch(disposition.FileName!, "^\"?usage-[A-Za-z0-9._-]+\\.csv\"?$"), disposition.FileName);
        var full = disposition.FileNameStar!;
        Assert.StartsWith("usage-evil", full, StringComparison.Ordinal);
        Assert.EndsWith(".csv", full, StringComparison.Ordinal);
        Assert.Contains("名单", full, StringComparison.Ordinal);
        foreach (var c in "\"\\/\r\n;")
        {
            Assert.DoesNotContain(c, full);
        }

        // Exports name their file after the dataset and version, the same way.
        var export = await host.Anonymous().GetAsync("/v1/datasets/ningbo-villages/export?format=csv");
        Assert.Equal("ningbo-villages-v1.csv", export.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Equal("ningbo-villages-v1.csv", export.Content.Headers.ContentDisposition.FileNameStar);
    }
}
