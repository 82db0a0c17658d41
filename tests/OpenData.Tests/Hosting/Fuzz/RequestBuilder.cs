using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace OpenData.Tests.Hosting.Fuzz;

/// <summary>
/// Draws one request from a seed: a route, a caller, path parameters from ids that exist, the documented query
/// parameters and now and then a stray one, and a body from the route's schema. Each value is a sensible one or, at the
/// request's own mutation rate, a hostile one (wrong type, null, huge, malformed), so most requests get past the first
/// check and the fault in a deeper layer is reached.
/// </summary>
/// <param name="ids">Ids that exist on the host by the route segment that names them (<c>datasets</c>, <c>tenants</c>, <c>columns</c>, …).</param>
public sealed class RequestBuilder(IReadOnlyList<FuzzRoute> routes, IReadOnlyDictionary<string, string[]> ids)
{
    private static readonly Gen<FuzzCaller> Callers = Gen.Enum<FuzzCaller>();
    private static readonly Gen<string> Numbers = Gen.OneOf(
        Gen.Const("0"), Gen.Const("-1"), Gen.Const("1"), Gen.Const("2147483647"), Gen.Const("2147483648"), Gen.Const("9223372036854775807"),
        Gen.Const("9223372036854775808"), Gen.Const("-9223372036854775809"), Gen.Const("9999999999"), Gen.Const("1e400"), Gen.Const("1.5"),
        Gen.Const("-0.0"), Gen.Const("1E+2"), Gen.Const("123456789012345678901234567890"));

    // Sensible values by parameter or field name, so a request is refused for the one value the fuzz made hostile.
    private static readonly Dictionary<string, string[]> Sensible = new(StringComparer.Ordinal)
    {
        ["limit"] = ["1", "10", "100", "1000"], ["durationDays"] = ["1", "30", "365"],
        ["from"] = ["2026-01-01", "2025-06-30", "2026-01-01T00:00:00Z"], ["to"] = ["2026-12-31", "2026-01-31", "2026-02-01T00:00:00+08:00"],
        ["expiresAt"] = ["2027-01-01T00:00:00Z", "2026-06-01T00:00:00+08:00"],
        ["format"] = ["json", "csv", "CSV"], ["csv_raw"] = ["true", "false"], ["full"] = ["true", "false"],
        ["where"] = ["district = '海曙区'", "aqi > 100", "name like '%村'", "date between date'2024-01-01' and date'2024-12-31'", "resolved = true", "code is not null"],
        ["order_by"] = ["name", "aqi desc", "date desc, station", "code"], ["select"] = ["name,code", "date,aqi", "name", "district,category"],
        ["columns"] = ["district", "district,category", "name,streetCode"], ["q"] = ["村", "air", "宁波", "hotline"],
        ["theme"] = ["environment", "public-services", "administrative-divisions"], ["owner"] = ["ningbo-civil-affairs", "ningbo-big-data-bureau"],
        ["classification"] = ["open", "restricted", "sensitive"], ["role"] = ["requester", "reviewer"], ["status"] = ["pending", "approved", "rejected", "withdrawn"],
        ["type"] = ["string", "integer", "decimal", "boolean", "date", "datetime", "records.read", "access.decided"],
        ["tenant"] = ["demo-consumer", "ningbo-civil-affairs"], ["datasetId"] = ["hotline-12345-requests", "ningbo-villages"], ["charset"] = ["utf-8", "gbk", "gb18030"],
        ["decision"] = ["approve", "reject"], ["reason"] = ["by the fuzz"], ["purpose"] = ["Research on response times"], ["linkage"] = ["demo"],
        ["title"] = ["Fuzzed dataset"], ["description"] = ["made by the fuzz"], ["license"] = ["CC-BY-4.0"], ["updateFrequency"] = ["daily", "irregular"],
        ["tag"] = ["pii.name", "pii.phone", "public", "geo.district"], ["kind"] = ["consumer", "owner"], ["plan"] = ["free", "partner", "contest"],
        ["email"] = ["someone@fuzz.test"], ["password"] = ["a-good-password-2026"], ["url"] = ["https://example.org/hook"],
        ["events"] = ["access.decided", "dataset.published"], ["secret"] = ["a-long-enough-webhook-secret"], ["scopes"] = ["catalogue:read", "records:read"],
        ["grant_type"] = ["client_credentials", "authorization_code", "refresh_token"], ["client_id"] = ["demo-consumer-app"],
        ["client_secret"] = ["demo-consumer-secret"], ["response_type"] = ["code"], ["code_challenge_method"] = ["S256"], ["scope"] = ["catalogue:read"],
        ["redirect_uri"] = ["http://127.0.0.1/cb"], ["query"] = ["{ datasets { items { id title } } }", "{ dataset(id: \"ningbo-villages\") { records(limit: 2) { items } } }"],
    };

    public FuzzRequest Build(ulong seed)
    {
        var pcg = new PCG(13, seed);
        var route = routes[(int)pcg.Next((uint)routes.Count)];
        var caller = Draw(pcg, Callers);
        // Per request: how often a value is hostile rather than sensible.
        var rate = Draw(pcg, Gen.OneOf(Gen.Const(0u), Gen.Const(8u), Gen.Const(20u), Gen.Const(50u)));
        var path = new StringBuilder();
        var segments = route.Template.Split('/').Skip(1).ToArray();
        for (var i = 0; i < segments.Length; i++)
        {
            path.Append('/');
            path.Append(!segments[i].StartsWith('{') ? segments[i]
                : Chance(pcg, rate) ? Draw(pcg, HostileValues.Encoded)
                : HostileValues.Encode(Pick(pcg, IdsFor(route.Method, i > 0 ? segments[i - 1] : ""))));
        }
        var query = new List<string>();
        foreach (var (name, type) in route.Query)
        {
            if (Chance(pcg, 60))
            {
                query.Add(name + "=" + QueryValue(pcg, name, type, rate));
            }
        }
        if (Chance(pcg, 10) && route.Query.Count > 0)
        {
            // The same parameter twice: which one wins must not be a crash.
            var (name, type) = route.Query[(int)pcg.Next((uint)route.Query.Count)];
            query.Add(name + "=" + QueryValue(pcg, name, type, rate));
            query.Add(name + "=" + QueryValue(pcg, name, type, rate));
        }
        if (Chance(pcg, 10))
        {
            query.Add(Draw(pcg, HostileValues.Encoded) + "=" + Draw(pcg, HostileValues.Encoded));
        }
        var target = path.ToString() + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        var (bodyType, body) = route.BodyType is null ? (null, null) : Body(pcg, route, rate);
        return new FuzzRequest(seed, caller, route.Method, target.Length == 0 ? "/" : target, bodyType, body);
    }

    /// <summary>The route the request of <paramref name="seed"/> goes to.</summary>
    public FuzzRoute RouteOf(ulong seed) => routes[(int)new PCG(13, seed).Next((uint)routes.Count)];

    // A write takes the ids set aside for writes when there are some (the fuzz's own tenant and app).
    private string[] IdsFor(string method, string segment) =>
        (method != "GET" ? ids.GetValueOrDefault(segment + "!") : null) ?? ids.GetValueOrDefault(segment) ?? ["x"];

    private static T Draw<T>(PCG pcg, Gen<T> gen) => gen.Generate(pcg, null, out _);

    private static string Pick(PCG pcg, string[] values) => values.Length == 0 ? "x" : values[(int)pcg.Next((uint)values.Length)];

    private static bool Chance(PCG pcg, uint percent) => pcg.Next(100) < percent;

    private string SensibleText(PCG pcg, string name, string type) =>
        Sensible.TryGetValue(name, out var values) ? Pick(pcg, values)
        : ids.TryGetValue(name, out var known) ? Pick(pcg, known)
        : type switch
        {
            "integer" or "number" => pcg.Next(200).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "boolean" => Chance(pcg, 50) ? "true" : "false",
            _ => Pick(pcg, ids["words"]),
        };

    private string QueryValue(PCG pcg, string name, string type, uint rate) =>
        !Chance(pcg, rate) ? HostileValues.Encode(SensibleText(pcg, name, type))
        : type is "integer" or "number" && Chance(pcg, 40) ? Draw(pcg, Numbers)
        : Draw(pcg, HostileValues.Encoded);

    private (string Type, string Body) Body(PCG pcg, FuzzRoute route, uint rate)
    {
        if (route.BodyType == "application/x-www-form-urlencoded")
        {
            var fields = route.Query.Where(_ => Chance(pcg, 70)).Select(q => q.Name + "=" + QueryValue(pcg, q.Name, "string", rate));
            return (route.BodyType, string.Join('&', fields));
        }
        if (route.BodyType is "text/csv" or "application/csv" or "text/plain")
        {
            var lines = Enumerable.Range(0, (int)pcg.Next(6)).Select(_ => string.Join(',', Enumerable.Range(0, 1 + (int)pcg.Next(4))
                .Select(_ => Chance(pcg, rate) ? Draw(pcg, HostileValues.Text) : Pick(pcg, ids["words"]))));
            var type = Chance(pcg, 100 - rate) ? route.BodyType
                : "text/csv; charset=" + Draw(pcg, Gen.OneOf(Gen.Const("gbk"), Gen.Const("utf-16"), Gen.Const("x-unknown"), Gen.Const("")));
            return (type, "name,value\n" + string.Join('\n', lines));
        }
        if (Chance(pcg, rate / 4))
        {
            // Not the document the route wants at all.
            return ("application/json", Draw(pcg, Gen.OneOf(
                Gen.Const(""), Gen.Const("null"), Gen.Const("[]"), Gen.Const("1"), Gen.Const("\"x\""), Gen.Const("{"), Gen.Const("{\"a\":"),
                Gen.Const("\ufeff{}"), Gen.Const("{\"id\":\"\\ud800\"}"), Gen.Const("{\"id\":\"\\u0000\"}"), Gen.Const(new string('[', 5000) + new string(']', 5000)),
                Gen.Const("{\"a\":1,\"a\":2}"), Gen.Const("1" + new string('0', 5000)))));
        }
        var json = (Value(pcg, "", route.BodySchema, 0, rate) ?? new JsonObject()).ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return (route.BodyType ?? "application/json", json);
    }

    private JsonNode? Value(PCG pcg, string name, JsonNode? schema, int depth, uint rate)
    {
        if (depth > 4)
        {
            return null;
        }
        if (depth > 0 && Chance(pcg, rate))
        {
            // Null, the wrong type, or a hostile value of the right one.
            return pcg.Next(7) switch
            {
                0 => null,
                1 => JsonValue.Create(true),
                2 => JsonNode.Parse(Draw(pcg, Numbers.Where(n => n != "1e400"))),
                3 => new JsonArray(JsonValue.Create(Draw(pcg, HostileValues.Text))),
                4 => new JsonObject { ["x"] = 1 },
                _ => JsonValue.Create(Draw(pcg, HostileValues.Text)),
            };
        }
        var type = schema?["type"]?.GetValue<string>() ?? "string";
        switch (type)
        {
            case "object":
                var result = new JsonObject();
                foreach (var (field, property) in schema?["properties"]?.AsObject() ?? [])
                {
                    if (Chance(pcg, 90))
                    {
                        result[field] = Value(pcg, field, property, depth + 1, rate);
                    }
                }
                if (schema?["additionalProperties"] is JsonObject values)
                {
                    // A map (a tenant's limits): keys the platform knows, or not.
                    foreach (var key in new[] { "ratePerSecond", "burst", "dailyRequests", "dailyRows", "exportRows" }.Where(_ => Chance(pcg, 40)))
                    {
                        result[Chance(pcg, rate) ? Draw(pcg, HostileValues.Text) : key] = Value(pcg, key, values, depth + 1, rate);
                    }
                }
                else if (Chance(pcg, rate / 2))
                {
                    result[Draw(pcg, HostileValues.Text)] = 1;
                }
                return result;
            case "array":
                var count = Chance(pcg, rate / 8) ? 2000 : 1 + (int)pcg.Next(3);
                var array = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    array.Add(Value(pcg, name, schema?["items"], depth + 1, rate));
                }
                return array;
            case "integer" or "number":
                return JsonNode.Parse(SensibleText(pcg, name, type) is var text && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _) ? text : "30");
            case "boolean":
                return JsonValue.Create(Chance(pcg, 50));
            default:
                return JsonValue.Create(name switch
                {
                    // A new id each time, so creating succeeds and the next layer is reached.
                    "id" => "fuzz-" + pcg.Next(1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "name" when depth > 1 => "c" + pcg.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "name" => "Fuzz " + pcg.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "email" => $"p{pcg.Next(1_000_000)}@fuzz.test",
                    _ => SensibleText(pcg, name, type),
                });
        }
    }

    /// <summary>The request seed for request <paramref name="index"/> of a slice.</summary>
    public static ulong SeedOf(ulong slice, int index) => slice * 1_000_000UL + (ulong)index;
}
