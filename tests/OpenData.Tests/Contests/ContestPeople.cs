using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenData.Tests.Auth;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Contests;

/// <summary>
/// People of contests: a judge is a person, who calls the API with a token an app obtained for them through the authorisation-code
/// flow (sign-in, consent, code exchange) — never an app's own token. Also the teams' entries the judges review.
/// </summary>
internal static class ContestPeople
{
    public const string Password = "a-judges-password-2026";

    /// <summary>
    /// A member of <paramref name="tenant"/> (a consumer tenant, made when new) signing in as <paramref name="email"/>, and a client
    /// holding the token a code-flow app of that tenant obtained for them.
    /// </summary>
    public static async Task<HttpClient> PersonAsync(PlatformHost host, string tenant, string email)
    {
        var op = host.As("platform", "platform:admin", "tenant:admin");
        // The tenant may exist already (a team's): then this answers 409 and the person joins it.
        await op.PostAsJsonAsync("/v1/tenants", new { id = tenant, name = tenant, kind = "consumer" });
        var app = await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{tenant}/apps",
            new { name = "评审助手", scopes = new[] { "catalogue:read" }, redirectUris = new[] { OAuthFlows.Redirect } }), HttpStatusCode.Created);
        await PlatformHost.ReadJsonAsync(await op.PostAsJsonAsync($"/v1/tenants/{tenant}/members",
            new { email, name = "评委 " + email, role = "developer", password = Password }), HttpStatusCode.Created);
        var (clientId, secret) = (app["clientId"]!.GetValue<string>(), app["clientSecret"]!.GetValue<string>());
        return await TokenAsync(host, clientId, secret, email);
    }

    /// <summary>A fresh person's token (the clock may have moved past the last one's expiry).</summary>
    public static async Task<HttpClient> TokenAsync(PlatformHost host, string clientId, string secret, string email)
    {
        var (code, verifier) = await OAuthFlows.AuthorizeAsync(host, clientId, email, Password, "catalogue:read");
        var (status, body) = await OAuthFlows.ExchangeAsync(host, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = OAuthFlows.Redirect,
            ["code_verifier"] = verifier, ["client_id"] = clientId, ["client_secret"] = secret,
        });
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return OAuthFlows.Bearer(host, body["access_token"]!.GetValue<string>());
    }

    /// <summary>Names a judge (the organiser) and answers the judge as the organiser sees them.</summary>
    public static async Task<JsonNode> AddJudgeAsync(PlatformHost host, string contest, string email, IReadOnlyList<string>? teams = null)
    {
        var response = await ContestScenario.Organiser(host).PostAsJsonAsync($"/v1/contests/{contest}/judges", new { email, teams });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    /// <summary>Registers a team (automatic approval) and submits its app; answers the team's id.</summary>
    public static async Task<string> EntryAsync(PlatformHost host, string contest, string tenant, string name, string member, string title, byte[]? pdf = null)
    {
        var teamId = (await ContestScenario.RegisterAsync(host, contest, tenant, name, member))["team"]!["id"]!.GetValue<string>();
        var team = ContestScenario.Team(host, tenant);
        string? attachmentId = null;
        if (pdf is not null)
        {
            attachmentId = (await PlatformHost.ReadJsonAsync(await SubmissionTests.UploadAsync(team, contest, teamId, pdf, $"{name}.pdf"), HttpStatusCode.Created))["id"]!.GetValue<string>();
        }
        await PlatformHost.ReadJsonAsync(await team.PostAsJsonAsync($"/v1/contests/{contest}/submissions", new
        {
            teamId, title, description = title + ": 用热线数据做的应用。", url = "https://demo.example.org/" + Uri.EscapeDataString(title),
            datasets = new[] { AccessScenarios.Restricted }, attachmentId,
        }), HttpStatusCode.Created);
        return teamId;
    }

    /// <summary>A scorecard as <c>POST …/scores</c> takes it, from (criterion, score) pairs.</summary>
    public static object Scorecard(string entry, string comment, params (string Criterion, double Score)[] scores) =>
        new { entry, scores = scores.Select(s => new { criterion = s.Criterion, score = s.Score }).ToArray(), comment };
}
