using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contests;

/// <summary>
/// A contest on a test clock: the host runs on <see cref="Clock"/>, which starts one day before the contest opens
/// (<see cref="StartsAt"/>); registration closes ten days after it opens, submissions twenty, the contest ends on day thirty.
/// </summary>
internal sealed class ContestScenario
{
    public static readonly DateTimeOffset StartsAt = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset RegistrationEndsAt = StartsAt.AddDays(10);
    public static readonly DateTimeOffset SubmissionEndsAt = StartsAt.AddDays(20);
    public static readonly DateTimeOffset EndsAt = StartsAt.AddDays(30);

    /// <summary>Datasets in scope of the contest: the restricted hotline of the access scenarios and the open air quality; the villages are not.</summary>
    public static readonly string[] Datasets = [AccessScenarios.Restricted, "ningbo-air-quality-daily"];

    /// <summary>A published dataset the contest does not name.</summary>
    public const string OutOfScope = "ningbo-villages";

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    public FakeTimeProvider Clock { get; } = new(StartsAt.AddDays(-1));

    public static HttpClient Organiser(PlatformHost host) => host.As("platform", "platform:admin", "tenant:admin", "catalogue:read", "records:read");

    /// <summary>A consumer tenant's token with what registering, submitting and taking an app live need.</summary>
    public static HttpClient Team(PlatformHost host, string tenant) => host.As(tenant, "tenant:admin", "catalogue:read", "records:read", "access:request");

    /// <summary>Registers a team of <paramref name="tenant"/> (members: e-mails) and answers the whole answer (team, credentials).</summary>
    public static async Task<JsonNode> RegisterAsync(PlatformHost host, string contest, string tenant, string name, params string[] members) =>
        await PlatformHost.ReadJsonAsync(await Team(host, tenant).PostAsJsonAsync($"/v1/contests/{contest}/teams", new { name, members, acceptTerms = true }),
            HttpStatusCode.Created);

    /// <summary>Moves the clock to <paramref name="at"/> (forward only).</summary>
    public void At(DateTimeOffset at) => Clock.SetUtcNow(at);

    /// <summary>Creates a contest (extra fields override the defaults) and answers its JSON.</summary>
    public static async Task<JsonNode> CreateAsync(PlatformHost host, string id, object? extra = null)
    {
        var body = new JsonObject
        {
            ["id"] = id,
            ["title"] = "宁波数据开放创新应用大赛 " + id,
            ["titleEn"] = "Ningbo open data innovation contest " + id,
            ["description"] = "用公共数据做出好应用。",
            ["startsAt"] = StartsAt,
            ["registrationEndsAt"] = RegistrationEndsAt,
            ["submissionEndsAt"] = SubmissionEndsAt,
            ["endsAt"] = EndsAt,
            ["datasets"] = new JsonArray([.. Datasets.Select(d => (JsonNode)d)]),
            ["tracks"] = new JsonArray("app", "algorithm"),
        };
        if (extra is not null)
        {
            foreach (var (key, value) in System.Text.Json.JsonSerializer.SerializeToNode(extra, Web)!.AsObject())
            {
                body[key] = value?.DeepClone();
            }
        }
        return await PlatformHost.ReadJsonAsync(await Organiser(host).PostAsJsonAsync("/v1/contests", body), HttpStatusCode.Created);
    }
}
