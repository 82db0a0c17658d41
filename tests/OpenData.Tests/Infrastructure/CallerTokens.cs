using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OpenData.Tests.Infrastructure;

/// <summary>
/// Real client-credentials tokens for the callers a test acts as (<see cref="PlatformHost.As"/>): the tenant is created through
/// the operator API when it does not exist yet, an app holding exactly the scopes asked for is registered through the API, and
/// its token is taken at <c>/connect/token</c> — so every request authenticates exactly as in production.
/// One per host; apps are cached per (tenant, environment, scopes), tokens until the host's own clock says they expire.
/// </summary>
internal sealed class CallerTokens(Func<HttpClient> client, TimeProvider clock, string operatorClientId, string operatorSecret)
{
    /// <summary>Scopes only an owner tenant's app may hold; a tenant first met with one of them is created as an owner.</summary>
    private static readonly string[] OwnerScopes = ["datasets:write", "access:review"];

    /// <summary>Scopes only a consumer tenant's app may hold.</summary>
    private static readonly string[] ConsumerScopes = ["access:request"];

    private readonly ConcurrentDictionary<string, Lazy<Task<(string ClientId, string Secret)>>> _apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> _tokens = new(StringComparer.Ordinal);

    /// <summary>A valid access token for a member app of <paramref name="tenant"/> in <paramref name="environment"/> holding exactly <paramref name="scopes"/>.</summary>
    public async Task<string> TokenAsync(string tenant, string environment, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var key = $"{tenant}|{environment}|{string.Join(' ', scopes)}";
        if (_tokens.TryGetValue(key, out var cached) && clock.GetUtcNow() < cached.RenewAt)
        {
            return cached.Token;
        }
        var app = _apps.GetOrAdd(key, _ => new Lazy<Task<(string, string)>>(() => CreateAppAsync(tenant, environment, scopes)));
        (string ClientId, string Secret) credentials;
        try
        {
            credentials = await app.Value;
        }
        catch
        {
            // Not remembered: the next request tries again (a test may send its first request while the store is down).
            _apps.TryRemove(new KeyValuePair<string, Lazy<Task<(string ClientId, string Secret)>>>(key, app));
            _tenants.TryRemove(tenant, out _);
            throw;
        }
        var (clientId, secret) = credentials;
        // Callers racing for the same renewal may each take a token: all are valid, the last one is kept.
        var fresh = await IssueAsync(clientId, secret, scopes, cancellationToken);
        _tokens[key] = fresh;
        return fresh.Token;
    }

    private async Task<(string Token, DateTimeOffset RenewAt)> IssueAsync(string clientId, string secret, IReadOnlyList<string>? scopes, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scopes is { Count: > 0 })
        {
            form["scope"] = string.Join(' ', scopes);
        }
        using var http = client();
        var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"the token endpoint refused the test's app {clientId}: {body}");
        var json = JsonNode.Parse(body)!;
        // Renewed a minute early, by the host's clock (a test's fake clock moves expiry as it moves everything else).
        var renewAt = clock.GetUtcNow().AddSeconds(json["expires_in"]!.GetValue<int>() - 60);
        return (json["access_token"]!.GetValue<string>(), renewAt);
    }

    private async Task<HttpClient> OperatorAsync(CancellationToken cancellationToken)
    {
        const string key = "operator";
        if (!_tokens.TryGetValue(key, out var cached) || clock.GetUtcNow() >= cached.RenewAt)
        {
            cached = await IssueAsync(operatorClientId, operatorSecret, null, cancellationToken);
            _tokens[key] = cached;
        }
        var http = client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cached.Token);
        return http;
    }

    private async Task<(string ClientId, string Secret)> CreateAppAsync(string tenant, string environment, IReadOnlyList<string> scopes)
    {
        await _tenants.GetOrAdd(tenant, _ => new Lazy<Task>(() => EnsureTenantAsync(tenant, scopes))).Value;
        using var op = await OperatorAsync(CancellationToken.None);
        var response = await op.PostAsJsonAsync($"/v1/tenants/{tenant}/apps", new { name = "test caller", scopes, environment });
        var body = await response.Content.ReadAsStringAsync();
        // A refusal here means the test asks for a token production never issues (say, an owner's app with access:request).
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"the platform will not register an app of '{tenant}' with [{string.Join(' ', scopes)}] in {environment}: {body}");
        var app = JsonNode.Parse(body)!;
        return (app["clientId"]!.GetValue<string>(), app["clientSecret"]!.GetValue<string>());
    }

    /// <summary>
    /// Creates the tenant through <c>POST /v1/tenants</c> (which takes an id) unless it exists: seeded organisations are owners,
    /// the operator's tenant is bootstrapped, and a tenant first met here is an owner when the scopes asked for are an
    /// owner's, a consumer otherwise.
    /// </summary>
    private async Task EnsureTenantAsync(string tenant, IReadOnlyList<string> scopes)
    {
        using var op = await OperatorAsync(CancellationToken.None);
        if ((await op.GetAsync($"/v1/tenants/{tenant}")).StatusCode == HttpStatusCode.OK)
        {
            return;
        }
        var owner = scopes.Any(OwnerScopes.Contains);
        Assert.False(owner && scopes.Any(ConsumerScopes.Contains),
            $"no tenant holds both an owner's and a consumer's scopes ([{string.Join(' ', scopes)}]); ask for one side's");
        var created = await op.PostAsJsonAsync("/v1/tenants", new { id = tenant, name = tenant, kind = owner ? "owner" : "consumer" });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
    }
}
