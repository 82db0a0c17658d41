using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenData.Tests.Hosting.Fuzz;

/// <summary>
/// Issue 13, item 13, as the attack: every route, called by anyone from an anonymous caller to the operator with parameters
/// and bodies drawn from hostile values, never answers 5xx, and every problem it answers carries a machine <c>code</c>.
/// Each slice is a fixed seed and a bounded number of requests, so CI runs the same requests every time; a failure prints
/// the request and its seed. <c>OPENDATA_FUZZ_ITERATIONS</c> runs longer slices, <c>OPENDATA_FUZZ_SLICE_SEED</c> other
/// slices, <c>OPENDATA_FUZZ_SEED</c> replays one request.
/// </summary>
public sealed class RouteFuzzTests(FuzzHosts hosts, ITestOutputHelper output) : IClassFixture<FuzzHosts>
{
    private const int RequestsPerSlice = 1500;

    [DatabaseTheory, OnEachDatabaseAndSlice(3)]
    public async Task No_route_answers_5xx_to_fuzzed_parameters_and_bodies(string db, int slice)
    {
        var host = await hosts.GetAsync(db);
        var builder = new RequestBuilder(RouteCatalogue.From(host.Endpoints), await hosts.IdsAsync(db));
        var sliceSeed = ulong.TryParse(Environment.GetEnvironmentVariable("OPENDATA_FUZZ_SLICE_SEED"), CultureInfo.InvariantCulture, out var s) ? s + (ulong)slice : 0x0D13_0000UL + (ulong)slice;
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("OPENDATA_FUZZ_ITERATIONS"), CultureInfo.InvariantCulture, out var n) ? n : RequestsPerSlice;
        var seeds = ulong.TryParse(Environment.GetEnvironmentVariable("OPENDATA_FUZZ_SEED"), CultureInfo.InvariantCulture, out var one)
            ? [one]
            : Enumerable.Range(0, iterations).Select(i => RequestBuilder.SeedOf(sliceSeed, i)).ToArray();
        var clients = new Dictionary<FuzzCaller, HttpClient>
        {
            [FuzzCaller.Anonymous] = host.Anonymous(),
            [FuzzCaller.Consumer] = host.As("demo-consumer", "catalogue:read", "records:read", "access:request"),
            [FuzzCaller.Owner] = host.As("ningbo-civil-affairs", "catalogue:read", "records:read", "datasets:write", "access:review", "tenant:admin"),
            [FuzzCaller.Operator] = host.As("platform", "catalogue:read", "records:read", "access:request", "datasets:write", "access:review", "tenant:admin", "platform:admin"),
        };
        var failures = new List<string>();
        var answers = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var started = DateTime.UtcNow;
        foreach (var seed in seeds)
        {
            var request = builder.Build(seed);
            var (status, failure) = await SendAsync(clients[request.Caller], request);
            var key = $"{builder.RouteOf(seed)} {status / 100}xx";
            answers[key] = answers.GetValueOrDefault(key) + 1;
            if (failure is not null)
            {
                failures.Add($"{request}\n  → {failure}");
            }
        }
        output.WriteLine($"{db} slice {slice} (seed {sliceSeed}): {seeds.Length} requests in {(DateTime.UtcNow - started).TotalSeconds:0.0} s, {failures.Count} failures");
        // What the slice reached, so a generator that stops getting past the first check shows.
        output.WriteLine(string.Join("\n", answers.Select(a => $"  {a.Key}: {a.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} of {seeds.Length} requests failed (slice seed {sliceSeed}):\n" + string.Join("\n", failures.Take(25)));
    }

    private static async Task<(int Status, string? Failure)> SendAsync(HttpClient client, FuzzRequest request)
    {
        try
        {
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                return (status, $"{status}: {Shorten(text)}");
            }
            if (status >= 400 && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                var code = TryParse(text)?["code"];
                if (code is not JsonValue value || value.GetValueKind() != JsonValueKind.String || string.IsNullOrEmpty(value.GetValue<string>()))
                {
                    return (status, $"{status} problem without a code: {Shorten(text)}");
                }
            }
            return (status, null);
        }
        catch (Xunit.Sdk.XunitException contract)
        {
            // The contract-checking handler: the answer is not what the OpenAPI document promises.
            return (0, "answer outside the OpenAPI document: " + Shorten(contract.Message));
        }
        catch (HttpRequestException broken)
        {
            return (0, "connection failed: " + broken.Message);
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
