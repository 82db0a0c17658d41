using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Auth;

/// <summary>
/// Issue 13, items 1–3 and 5, as the attack: what a caller without credentials, with a token in the wrong place, with a
/// stolen or replayed code, another app's token, or a well-signed but malformed token gets; least privilege for new apps;
/// the host that refuses to run in production with the README's demo password.
/// </summary>
public sealed class AuthSemanticsTests(SeededHosts hosts) : IClassFixture<SeededHosts>
{
    [Fact]
    public async Task Every_protected_route_answers_401_with_a_Bearer_challenge_without_credentials_and_403_only_to_a_token_lacking_the_right()
    {
        var host = await hosts.GetAsync(Db.Sqlite);
        var anonymous = host.Anonymous();
        var protectedRoutes = host.Endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<IAuthorizeData>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Method: m, Route: e.RoutePattern.RawText!, Page: e.Metadata.GetMetadata<OpenData.Portal.PortalPage>() is not null,
                    Accepts: e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes is [var first, ..] ? first : null)))
            .ToList();
        Assert.True(protectedRoutes.Count >= 20, $"only {protectedRoutes.Count} protected routes");
        var wrong = new List<string>();
        // The portal's signed-in pages (the developer console) want a person, not a token: a browser without the sign-in
        // cookie is sent to the sign-in page (this client follows the redirect), never shown the page.
        foreach (var (method, route, _, _) in protectedRoutes.Where(r => r.Page))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "/" + route) { Content = method == "POST" ? new FormUrlEncodedContent([]) : null };
            var response = await anonymous.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || response.RequestMessage?.RequestUri?.AbsolutePath != "/account/signin"
                || !body.Contains("action=\"/account/signin\"", StringComparison.Ordinal))
            {
                wrong.Add($"{method} /{route}: {(int)response.StatusCode} at {response.RequestMessage?.RequestUri} {body[..Math.Min(120, body.Length)]}");
            }
        }
        foreach (var (method, route, _, accepts) in protectedRoutes.Where(r => !r.Page))
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route, "{[^}]+}", "x");
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }
            var response = await anonymous.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.UnsupportedMediaType)
            {
                // A route that reads CSV (or the body type it declares, a PDF): asked again with it, it must still want a token first.
                response.Dispose();
                using var own = new HttpRequestMessage(new HttpMethod(method), path)
                {
                    Content = accepts is { } type && type != "application/json"
                        ? new StringContent("%PDF-1.4\n%%EOF\n", Encoding.UTF8, type)
                        : new StringContent("a\n1\n", Encoding.UTF8, "text/csv"),
                };
                response = await anonymous.SendAsync(own);
            }
            var challenge = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Unauthorized || !challenge.StartsWith("Bearer", StringComparison.Ordinal)
                || !body.Contains("\"auth.token_required\"", StringComparison.Ordinal) || challenge.Contains("error=", StringComparison.Ordinal))
            {
                wrong.Add($"{method} {path}: {(int)response.StatusCode} [{challenge}] {body[..Math.Min(120, body.Length)]}");
            }
        }
        Assert.True(wrong.Count == 0, "without credentials: " + string.Join("\n", wrong));

        // A malformed token: 401 invalid_token. A valid token lacking the scope: 403.
        var garbage = OAuthFlows.Bearer(host, "not-a-token");
        var bad = await garbage.GetAsync("/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Contains("invalid_token", bad.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var reader = host.As("demo-consumer", "catalogue:read");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/v1/webhooks")).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Tokens_count_only_in_the_Authorization_header(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var token = await OAuthFlows.ClientTokenAsync(host, "demo-consumer-app", "demo-consumer-secret");
        Assert.Equal(HttpStatusCode.OK, (await OAuthFlows.Bearer(host, token).GetAsync("/v1/me")).StatusCode);
        // In the query string (where it lands in logs and Referer headers) or a form body: no credentials at all.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous().GetAsync("/v1/me?access_token=" + token)).StatusCode);
        // No route reads a form body, so one carrying a token is refused before anything reads it, and nothing is made.
        var form = await host.Anonymous().PostAsync("/v1/tenants/demo-consumer/apps", new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = token, ["name"] = "x" }));
        Assert.True(form.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.UnsupportedMediaType, $"{(int)form.StatusCode}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous().PostAsJsonAsync("/v1/tenants/demo-consumer/apps?access_token=" + token, new { name = "x" })).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_failed_code_exchange_does_not_burn_the_legitimate_clients_code(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var (clientId, secret) = await OAuthFlows.CodeFlowAppAsync(host, "people", "wang@people.test", "a-good-password");
        var (code, verifier) = await OAuthFlows.AuthorizeAsync(host, clientId, "wang@people.test", "a-good-password");
        Dictionary<string, string> Exchange(Action<Dictionary<string, string>>? change = null)
        {
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = OAuthFlows.Redirect,
                ["code_verifier"] = verifier, ["client_id"] = clientId, ["client_secret"] = secret,
            };
            change?.Invoke(form);
            return form;
        }

        // Whoever intercepted the code tries it without the verifier, with a wrong one, with a wrong secret, elsewhere.
        var attempts = new Dictionary<string, Action<Dictionary<string, string>>>
        {
            ["wrong verifier"] = f => f["code_verifier"] = new string('a', 43),
            ["no verifier"] = f => f.Remove("code_verifier"),
            ["wrong secret"] = f => f["client_secret"] = "guessed",
            ["other redirect"] = f => f["redirect_uri"] = "http://evil.test/cb",
        };
        foreach (var (name, change) in attempts)
        {
            var (status, body) = await OAuthFlows.ExchangeAsync(host, Exchange(change));
            Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{name}: {(int)status} {body.ToJsonString()}");
            Assert.Null(body["access_token"]);
        }
        // The legitimate client still gets its tokens, once.
        var (okStatus, tokens) = await OAuthFlows.ExchangeAsync(host, Exchange());
        Assert.True(okStatus == HttpStatusCode.OK, tokens.ToJsonString());
        Assert.NotNull(tokens["refresh_token"]);
        var (_, replay) = await OAuthFlows.ExchangeAsync(host, Exchange());
        Assert.Equal("invalid_grant", replay["error"]!.GetValue<string>());

        // A refresh token stolen without the client's secret is not burnt either.
        var refresh = tokens["refresh_token"]!.GetValue<string>();
        var refreshForm = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = clientId, ["client_secret"] = "guessed" };
        Assert.Null((await OAuthFlows.ExchangeAsync(host, refreshForm)).Body["access_token"]);
        refreshForm["client_secret"] = secret;
        var (refreshed, renewed) = await OAuthFlows.ExchangeAsync(host, refreshForm);
        Assert.True(refreshed == HttpStatusCode.OK, renewed.ToJsonString());
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_app_revokes_only_its_own_tokens(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var victim = await OAuthFlows.ClientTokenAsync(host, "demo-owner-app", "demo-owner-secret");
        var revoke = await host.Anonymous().PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = victim, ["client_id"] = "demo-consumer-app", ["client_secret"] = "demo-consumer-secret",
        }));
        // RFC 7009 §2.2 lets the answer be 200 (as for any token the server will not revoke); what matters is that it still works.
        Assert.True(revoke.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)revoke.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, (await OAuthFlows.Bearer(host, victim).GetAsync("/v1/me")).StatusCode);

        var own = await OAuthFlows.ClientTokenAsync(host, "demo-consumer-app", "demo-consumer-secret");
        var revokeOwn = await host.Anonymous().PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = own, ["client_id"] = "demo-consumer-app", ["client_secret"] = "demo-consumer-secret",
        }));
        Assert.Equal(HttpStatusCode.OK, revokeOwn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await OAuthFlows.Bearer(host, own).GetAsync("/v1/me")).StatusCode);
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task A_well_signed_token_without_expiry_not_valid_yet_or_for_another_audience_is_refused(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var real = await OAuthFlows.ClientTokenAsync(host, "demo-consumer-app", "demo-consumer-secret");
        var claims = Claims(real);
        Assert.Equal("opendata", claims["aud"] is List<object> list ? list[0] : claims["aud"]);

        // The same claims signed again pass (so the refusals below are for what was changed, not for the signing).
        Assert.Equal(HttpStatusCode.OK, (await OAuthFlows.Bearer(host, host.SignAccessToken(With(claims, "jti", "control"))).GetAsync("/v1/me")).StatusCode);
        var forged = new Dictionary<string, IDictionary<string, object>>
        {
            ["no exp"] = Without(With(claims, "jti", "a"), "exp"),
            ["nbf in an hour"] = With(With(claims, "jti", "b"), "nbf", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()),
            ["foreign aud"] = With(With(claims, "jti", "c"), "aud", "another-api"),
            ["no aud"] = Without(With(claims, "jti", "d"), "aud"),
        };
        foreach (var (name, forgery) in forged)
        {
            // Twice: the second use would come from the cache of validated tokens if the first had been let in.
            for (var i = 0; i < 2; i++)
            {
                var response = await OAuthFlows.Bearer(host, host.SignAccessToken(forgery)).GetAsync("/v1/me");
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {(int)response.StatusCode}");
            }
        }
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task An_app_created_without_scopes_may_only_read(string db)
    {
        await using var host = await PlatformHost.StartAsync(db);
        var admin = await OAuthFlows.ClientTokenAsync(host, "demo-consumer-app", "demo-consumer-secret");
        var created = await PlatformHost.ReadJsonAsync(await OAuthFlows.Bearer(host, admin).PostAsJsonAsync("/v1/tenants/demo-consumer/apps", new { name = "报表" }), HttpStatusCode.Created);
        Assert.Equal(["catalogue:read", "records:read"], created["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));
        var token = await OAuthFlows.ClientTokenAsync(host, created["clientId"]!.GetValue<string>(), created["clientSecret"]!.GetValue<string>());
        var me = await PlatformHost.ReadJsonAsync(await OAuthFlows.Bearer(host, token).GetAsync("/v1/me"));
        Assert.DoesNotContain("tenant:admin", me["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        // It cannot make itself an admin app.
        var escalate = await OAuthFlows.Bearer(host, token).PostAsJsonAsync("/v1/tenants/demo-consumer/apps", new { name = "x", scopes = new[] { "tenant:admin" } });
        Assert.Equal(HttpStatusCode.Forbidden, escalate.StatusCode);
        // A tenant admin who asks for it by name gets it.
        var asked = await PlatformHost.ReadJsonAsync(await OAuthFlows.Bearer(host, admin).PostAsJsonAsync("/v1/tenants/demo-consumer/apps",
            new { name = "管理", scopes = new[] { "catalogue:read", "tenant:admin" } }), HttpStatusCode.Created);
        Assert.Contains("tenant:admin", asked["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task Outside_Development_the_host_refuses_to_start_while_the_demo_password_works(string db)
    {
        var development = await PlatformHost.StartAsync(db);
        // The demo apps are made safe; the person keeps the README's password.
        await development.ExecuteSqlAsync("UPDATE apps SET disabled_at = created_at WHERE client_id IN ('demo-consumer-app', 'demo-owner-app', 'demo-hotline-app', 'demo-web-app')");
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var production = await development.RestartAsync(environment: "Production");
        });
        Assert.Contains("demo password", error.ToString(), StringComparison.Ordinal);
        await development.DisposeAsync();
    }

    [DatabaseTheory, OnEachDatabase]
    public async Task The_operator_client_id_can_change_on_an_existing_store(string db)
    {
        var first = await PlatformHost.StartAsync(db, new Dictionary<string, string?>
        {
            ["OpenData:Operator:ClientId"] = "ops-2025", ["OpenData:Operator:ClientSecret"] = "a-long-operator-secret-1",
        });
        Assert.Equal(HttpStatusCode.OK, (await OAuthFlows.Bearer(first, await OAuthFlows.ClientTokenAsync(first, "ops-2025", "a-long-operator-secret-1")).GetAsync("/v1/me")).StatusCode);
        await using var second = await first.RestartAsync(changes: new Dictionary<string, string?>
        {
            ["OpenData:Operator:ClientId"] = "ops-2026", ["OpenData:Operator:ClientSecret"] = "a-long-operator-secret-2",
        });
        var me = await PlatformHost.ReadJsonAsync(await OAuthFlows.Bearer(second, await OAuthFlows.ClientTokenAsync(second, "ops-2026", "a-long-operator-secret-2")).GetAsync("/v1/me"));
        Assert.Equal("platform", me["tenant"]!.GetValue<string>());
        Assert.Contains("platform:admin", me["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        // The old id no longer authenticates.
        var (status, _) = await OAuthFlows.ExchangeAsync(second, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "ops-2025", ["client_secret"] = "a-long-operator-secret-1",
        });
        Assert.NotEqual(HttpStatusCode.OK, status);
    }

    private static Dictionary<string, object> Claims(string jwt)
    {
        var payload = jwt.Split('.')[1];
        using var document = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(payload));
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value));
    }

    private static object Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetInt64(),
        JsonValueKind.Array => e.EnumerateArray().Select(Value).ToList(),
        _ => e.GetString()!,
    };

    private static Dictionary<string, object> With(IDictionary<string, object> claims, string name, object value) => new(claims) { [name] = value };

    private static Dictionary<string, object> Without(IDictionary<string, object> claims, string name)
    {
        var copy = new Dictionary<string, object>(claims);
        copy.Remove(name);
        return copy;
    }
}
