using System.Net;
using System.Text;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting;

/// <summary>
/// Issue 13, item 13, as the attack on JSON bodies: a NUL character (which PostgreSQL cannot store), lone surrogates,
/// wrong types, nulls and huge values in the fields of every kind of write. Each is a 4xx problem naming where the
/// body is wrong, or accepted, never 5xx.
/// </summary>
public sealed class HostileBodyTests
{
    private static readonly (string Path, string Template)[] Writes =
    [
        ("/v1/access-requests", """{"datasetId":"hotline-12345-requests","columns":["callerName"],"purpose":"{0}","durationDays":30}"""),
        ("/v1/tenants", """{"id":"t-hostile","name":"{0}","kind":"consumer","plan":"free"}"""),
        ("/v1/tenants/demo-consumer/apps", """{"name":"{0}"}"""),
        ("/v1/tenants/demo-consumer/members", """{"email":"x@hostile.test","name":"{0}","role":"member","password":"a-good-password-2026"}"""),
        ("/v1/webhooks", """{"url":"https://example.org/hook","secret":"a-long-enough-secret-{0}"}"""),
        ("/v1/datasets", """{"id":"hostile","title":"{0}","theme":"environment","classification":"open","license":"CC-BY-4.0","updateFrequency":"daily","columns":[{"name":"a","type":"string"}]}"""),
    ];

    [DatabaseTheory, OnEachDatabase]
    public async Task A_NUL_in_any_JSON_string_is_a_400_at_its_path_not_a_PostgreSQL_500(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var op = host.As("platform", "catalogue:read", "records:read", "access:request", "datasets:write", "tenant:admin", "platform:admin");
        var consumer = host.As("demo-consumer", "catalogue:read", "records:read", "access:request", "tenant:admin");
        foreach (var (path, template) in Writes)
        {
            var client = path is "/v1/access-requests" or "/v1/webhooks" ? consumer : op;
            var response = await client.PostAsync(path, Json(template.Replace("{0}", "before\\u0000after", StringComparison.Ordinal)));
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid");
            Assert.Contains("NUL", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains(" at $.", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Lone_surrogates_control_characters_and_huge_values_in_bodies_are_never_a_5xx(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var op = host.As("platform", "catalogue:read", "records:read", "access:request", "datasets:write", "tenant:admin", "platform:admin");
        var consumer = host.As("demo-consumer", "catalogue:read", "records:read", "access:request", "tenant:admin");
        string[] values = ["\\ud800", "\\udfff", "x\\ud800y", "\\u001b[31m", "\\u202e", "\\uffff", "名称", new string('x', 70_000), "%00", "'; DROP TABLE tenants; --"];
        foreach (var (path, template) in Writes)
        {
            var client = path is "/v1/access-requests" or "/v1/webhooks" ? consumer : op;
            foreach (var value in values)
            {
                var response = await client.PostAsync(path, Json(template.Replace("{0}", value, StringComparison.Ordinal)));
                await InputAssert.AnsweredAsync(response, $"{path} with {value[..Math.Min(20, value.Length)]}");
            }
        }
        foreach (var body in new[] { """{"durationDays":9999999999}""", """{"durationDays":-1}""", """{"durationDays":1e400}""", """{"columns":null,"purpose":null}""",
            """{"datasetId":1}""", "[]", "null", "", "{", new string('[', 5000) + new string(']', 5000) })
        {
            await InputAssert.AnsweredAsync(await consumer.PostAsync("/v1/access-requests", Json(body)), "access request " + body[..Math.Min(30, body.Length)]);
        }
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
