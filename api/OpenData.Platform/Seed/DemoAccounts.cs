using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenData.Platform.Tenancy;

namespace OpenData.Platform.Seed;

/// <summary>
/// Development only: well-known demo credentials (listed in the README) for the owners of the seeded datasets (the civil
/// affairs bureau, and the hotline centre that owns the restricted dataset, so the access story can be completed), a
/// consumer tenant with an app, a code-flow app with a redirect URI and a person, and the operator. Outside Development the
/// host refuses to start while any of them would work.
/// </summary>
internal sealed class DemoAccounts(TenancyStore tenancy, IHostEnvironment environment, IConfiguration configuration, TimeProvider clock)
{
    public const string ConsumerTenant = "demo-consumer";
    public const string ConsumerClientId = "demo-consumer-app";
    public const string ConsumerSecret = "demo-consumer-secret";
    public const string OwnerClientId = "demo-owner-app";
    public const string OwnerSecret = "demo-owner-secret";
    public const string OwnerTenant = "ningbo-civil-affairs";
    public const string PersonEmail = "developer@demo.opendata.local";
    public const string PersonPassword = "demo-password-2026";
    public const string OwnerPersonEmail = "owner@demo.opendata.local";
    public const string OperatorPersonEmail = "operator@demo.opendata.local";
    public const string PlatformTenant = "platform";
    public const string OperatorSecret = "demo-operator-secret";
    public const string HotlineClientId = "demo-hotline-app";
    public const string HotlineSecret = "demo-hotline-secret";
    public const string HotlineTenant = "ningbo-12345-hotline";
    public const string WebClientId = "demo-web-app";
    public const string WebSecret = "demo-web-secret";

    /// <summary>Where the code-flow demo app may send the browser back to: a page of the Development host that shows the code.</summary>
    public static readonly string[] WebRedirectUris = ["http://127.0.0.1:5080/demo/callback", "http://localhost:5080/demo/callback"];

    private static readonly string[] DemoSecrets = [ConsumerSecret, OwnerSecret, OperatorSecret, HotlineSecret, WebSecret];

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment())
        {
            await RefuseDemoSecretsAsync(cancellationToken);
            return;
        }
        var now = clock.GetUtcNow();
        await tenancy.CreateTenantAsync(
            new TenantRow { Id = ConsumerTenant, Name = "宁波数智科技有限公司（演示）", Kind = "consumer", Plan = "free", Limits = "{}", CreatedAt = now }, null, cancellationToken);
        await EnsureAppAsync("app-demo-consumer", ConsumerTenant, "演示应用 Demo app", ConsumerClientId, ConsumerSecret,
            TenantRoles.AllowedScopes("consumer"), now, cancellationToken);
        await EnsureAppAsync("app-demo-web", ConsumerTenant, "演示网页应用 Demo web app (code flow)", WebClientId, WebSecret,
            TenantRoles.AllowedScopes("consumer"), now, cancellationToken, WebRedirectUris);
        foreach (var (id, tenant, name, clientId, secret) in new[]
        {
            ("app-demo-owner", OwnerTenant, "民政局数据发布 Publisher", OwnerClientId, OwnerSecret),
            ("app-demo-hotline", HotlineTenant, "12345热线数据审核 Reviewer", HotlineClientId, HotlineSecret),
        })
        {
            if (await tenancy.TenantAsync(tenant, cancellationToken) is not null)
            {
                await EnsureAppAsync(id, tenant, name, clientId, secret, TenantRoles.AllowedScopes("owner"), now, cancellationToken);
            }
        }
        // People who sign in to the portal, all with the same demo password: a developer of the consumer, an admin of the civil
        // affairs bureau (the owner's console) and, when the operator app is configured, an operator (the operator's console).
        await EnsurePersonAsync("m-demo-developer", ConsumerTenant, PersonEmail, "演示开发者", now, cancellationToken);
        await EnsurePersonAsync("m-demo-owner", OwnerTenant, OwnerPersonEmail, "演示数源单位管理员", now, cancellationToken);
        await EnsurePersonAsync("m-demo-operator", PlatformTenant, OperatorPersonEmail, "演示平台运营", now, cancellationToken);
    }

    /// <summary>Adds a demo person (an admin of <paramref name="tenant"/>) when the tenant exists and no person has the address.</summary>
    private async Task EnsurePersonAsync(string id, string tenant, string email, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await tenancy.TenantAsync(tenant, cancellationToken) is null)
        {
            return;
        }
        var member = new MemberRow { Id = id, TenantId = tenant, Email = email, Name = name, Role = "admin", CreatedAt = now };
        member.PasswordHash = new PasswordHasher<MemberRow>().HashPassword(member, PersonPassword);
        await tenancy.CreateMemberAsync(member, cancellationToken);
    }

    /// <summary>Adds the demo app unless an app of its client id exists.</summary>
    private Task EnsureAppAsync(string id, string tenant, string name, string clientId, string secret,
        IReadOnlyList<string> scopes, DateTimeOffset now, CancellationToken cancellationToken, IReadOnlyList<string>? redirectUris = null) =>
        tenancy.CreateAppAsync(new AppRow
        {
            RedirectUris = string.Join(' ', redirectUris ?? []),
            Id = id,
            TenantId = tenant,
            Name = name,
            ClientId = clientId,
            SecretHash = ClientSecrets.Hash(secret),
            Scopes = string.Join(' ', scopes),
            Environment = "live",
            SecretRotatedAt = now,
            CreatedAt = now,
        }, cancellationToken);

    private async Task RefuseDemoSecretsAsync(CancellationToken cancellationToken)
    {
        if (DemoSecrets.Contains(configuration["OpenData:Operator:ClientSecret"]))
        {
            throw new DemoCredentialsException($"a demo secret is configured as OpenData:Operator:ClientSecret in {environment.EnvironmentName}: set a real secret");
        }
        string? stillDemo = null;
        foreach (var clientId in new[] { ConsumerClientId, OwnerClientId, HotlineClientId, WebClientId })
        {
            if (await tenancy.AppByClientIdAsync(clientId, cancellationToken) is { DisabledAt: null } app && DemoSecrets.Any(d => ClientSecrets.Hash(d) == app.SecretHash))
            {
                stillDemo = clientId;
                break;
            }
        }
        if (stillDemo is not null)
        {
            throw new DemoCredentialsException(
                $"the demo app '{stillDemo}' still has its demo secret in {environment.EnvironmentName}: rotate it (POST /v1/apps/{{id}}/secret) or disable it first, or run in Development");
        }
        // The demo person too: a password printed in the README signs in as a tenant admin anywhere it still works.
        foreach (var email in new[] { PersonEmail, OwnerPersonEmail, OperatorPersonEmail })
        {
            var person = await tenancy.MemberAsync(null, email, cancellationToken);
            if (person?.PasswordHash is { Length: > 0 } hash
                && new PasswordHasher<MemberRow>().VerifyHashedPassword(person, hash, PersonPassword) != PasswordVerificationResult.Failed)
            {
                throw new DemoCredentialsException(
                    $"the demo person '{email}' still has the demo password in {environment.EnvironmentName}: change it or remove the person first, or run in Development");
            }
        }
    }
}
