using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Tenancy;

/// <summary>Routes of tenancy: tenants, their apps (OAuth clients) and people, and <c>/v1/me</c>.</summary>
public static partial class TenancyEndpoints
{
    public static IReadOnlyList<string> LimitNames => Quotas.PlanLimits.Names;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$")]
    private static partial Regex Slug();

    public static RouteGroupBuilder MapTenancy(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Tenancy");
        group.MapPost("/tenants", CreateTenant).WithName("CreateTenant").RequireAuthorization(Scopes.PlatformAdmin)
            .Refuses(CommonErrors.Validation, TenancyErrors.TenantExists)
            .WithSummary("Create a tenant: an owner (data-publishing organisation) or a consumer.");
        group.MapGet("/tenants/{id}", GetTenant).WithName("GetTenant").RequireAuthorization()
            .Refuses(CommonErrors.TenantNotFound)
            .WithSummary("A tenant, for its members and the operator.");
        group.MapPatch("/tenants/{id}", PatchTenant).WithName("PatchTenant").RequireAuthorization(Scopes.PlatformAdmin)
            .Refuses(CommonErrors.Validation, CommonErrors.TenantNotFound)
            .WithSummary("Change a tenant's plan or override single limits.");
        group.MapPost("/tenants/{id}/apps", CreateApp).WithName("CreateApp").RequireAuthorization()
            .Refuses(CommonErrors.Validation, CommonErrors.InsufficientScope, CommonErrors.TenantNotFound)
            .WithSummary("Register an app (OAuth client); its secret is shown once and stored only as a hash.");
        group.MapPost("/apps/{id}/secret", RotateSecret).WithName("RotateAppSecret").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(TenancyErrors.AppNotFound)
            .WithSummary("Rotate an app's secret: the new one is shown once, the old one stops working at once.");
        group.MapDelete("/apps/{id}", DisableApp).WithName("DisableApp").RequireAuthorization(Scopes.TenantAdmin)
            .Refuses(TenancyErrors.AppNotFound)
            .WithSummary("Disable an app: its tokens stop working on the next request.");
        group.MapPost("/tenants/{id}/members", CreateMember).WithName("CreateMember").RequireAuthorization()
            .Refuses(CommonErrors.Validation, CommonErrors.InsufficientScope, CommonErrors.TenantNotFound, TenancyErrors.MemberExists)
            .WithSummary("Add a person who signs in to the portal; the password is stored only hashed.");
        group.MapGet("/tenants/{id}/members", ListMembers).WithName("ListMembers").RequireAuthorization()
            .Refuses(CommonErrors.InsufficientScope, CommonErrors.TenantNotFound)
            .WithSummary("A tenant's people and their roles.");
        group.MapGet("/me", GetMe).WithName("GetMe").RequireAuthorization()
            .WithSummary("Who the token speaks for: tenant, app, environment, scopes, plan.");
        return group;
    }

    internal static async Task<Results<Created<Tenant>, ProblemHttpResult>> CreateTenant(
        NewTenant body, TenancyStore store, HttpRequest request, Quotas.PlanPolicy plans, TimeProvider clock, CancellationToken cancellationToken)
    {
        var planNames = plans.TenantPlans;
        var errors = new Dictionary<string, string[]>();
        if (body.Id is not null && !Slug().IsMatch(body.Id))
        {
            errors["id"] = ["id must be a slug of 3 to 64 characters: lower-case letters, digits and '-'"];
        }
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200)
        {
            errors["name"] = ["name is required, at most 200 characters"];
        }
        if (body.Kind is not ("owner" or "consumer"))
        {
            errors["kind"] = ["kind must be owner or consumer"];
        }
        var plan = body.Plan ?? "free";
        if (!planNames.Contains(plan))
        {
            errors["plan"] = [$"plan must be one of: {string.Join(", ", planNames)}"];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        var tenant = new TenantRow
        {
            Id = body.Id ?? "t-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5)),
            Name = body.Name.Trim(),
            Kind = body.Kind,
            Plan = plan,
            Limits = "{}",
            CreatedAt = clock.GetUtcNow(),
        };
        if (!await store.CreateTenantAsync(tenant, body.NameEn, cancellationToken))
        {
            return Problems.Conflict(TenancyErrors.TenantExists, $"a tenant with id '{tenant.Id}' exists already");
        }
        return TypedResults.Created($"{PublicUrl.Base(request)}/v1/tenants/{tenant.Id}", ToTenant(tenant));
    }

    internal static async Task<Results<Ok<Tenant>, ProblemHttpResult>> GetTenant(string id, ClaimsPrincipal user, TenancyStore store, CancellationToken cancellationToken)
    {
        var tenant = CanSee(user, id) ? await store.TenantAsync(id, cancellationToken) : null;
        return tenant is null ? TenantNotFound(id) : TypedResults.Ok(ToTenant(tenant));
    }

    internal static async Task<Results<Ok<Tenant>, ProblemHttpResult>> PatchTenant(
        string id, TenantPatch body, ClaimsPrincipal user, TenancyStore store, Quotas.PlanPolicy plans, Quotas.QuotaSubjects subjects, Audit.AuditLog audit,
        CancellationToken cancellationToken)
    {
        var planNames = plans.TenantPlans;
        var tenant = await store.TenantAsync(id, cancellationToken);
        if (tenant is null)
        {
            return TenantNotFound(id);
        }
        var errors = new Dictionary<string, string[]>();
        if (body.Plan is not null && !planNames.Contains(body.Plan))
        {
            errors["plan"] = [$"plan must be one of: {string.Join(", ", planNames)}"];
        }
        var limits = TenancyStore.Limits(tenant.Limits);
        foreach (var (name, value) in body.Limits ?? [])
        {
            if (!LimitNames.Contains(name))
            {
                errors[$"limits.{name}"] = [$"unknown limit; limits are {string.Join(", ", LimitNames)}"];
            }
            else if (value is < 0)
            {
                errors[$"limits.{name}"] = ["a limit is a whole number ≥ 0, or null to remove the override"];
            }
            else if (value is null)
            {
                limits.Remove(name);
            }
            else
            {
                limits[name] = value.Value;
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        await store.UpdateTenantAsync(id, body.Plan ?? tenant.Plan, limits, cancellationToken);
        subjects.Forget(id);
        await audit.AppendAsync(new Audit.AuditEvent("tenant.plan_changed", user.TenantId(), user.FindFirst(PlatformClaims.ClientId)?.Value, null, id, id,
            Audit.AuditEndpoints.Details(("plan", body.Plan ?? tenant.Plan), ("limits", limits))), cancellationToken);
        return TypedResults.Ok(ToTenant((await store.TenantAsync(id, cancellationToken))!));
    }

    internal static async Task<Results<Created<AppCredentials>, ProblemHttpResult>> CreateApp(
        string id, NewApp body, ClaimsPrincipal user, TenancyStore store, HttpRequest request, Audit.AuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (tenant, refusal) = await AdministeredTenantAsync(user, id, store, cancellationToken);
        if (tenant is null)
        {
            return refusal!;
        }
        var allowed = TenantRoles.AllowedScopes(tenant.Kind);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
        {
            errors["name"] = ["name is required, at most 100 characters"];
        }
        // Least privilege: an app asked for without scopes reads; anything more (tenant:admin above all) is asked for by name.
        var scopes = body.Scopes is { Count: > 0 } ? body.Scopes.Distinct().ToList() : Scopes.AppDefault.Where(allowed.Contains).ToList();
        var refused = scopes.Where(s => !allowed.Contains(s)).ToList();
        if (refused.Count > 0)
        {
            errors["scopes"] = [$"a {tenant.Kind} tenant's app may hold {string.Join(", ", allowed)}; not {string.Join(", ", refused)}"];
        }
        var environment = body.Environment ?? "live";
        if (environment is not ("live" or "sandbox"))
        {
            errors["environment"] = ["environment must be live or sandbox"];
        }
        var redirects = body.RedirectUris ?? [];
        if (redirects.Any(r => !Uri.TryCreate(r, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.Fragment)))
        {
            errors["redirectUris"] = ["each redirect URI is an absolute http(s) URI without a fragment"];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        var secret = ClientSecrets.NewSecret();
        var now = clock.GetUtcNow();
        var app = new AppRow
        {
            Id = "app-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)),
            TenantId = tenant.Id,
            Name = body.Name.Trim(),
            ClientId = ClientSecrets.NewClientId(),
            SecretHash = ClientSecrets.Hash(secret),
            Scopes = string.Join(' ', scopes),
            Environment = environment,
            RedirectUris = string.Join(' ', redirects),
            SecretRotatedAt = now,
            CreatedAt = now,
        };
        await store.CreateAppAsync(app, cancellationToken);
        await audit.AppendAsync(AppEvent(user, "app.created", app, ("name", app.Name), ("scopes", scopes), ("environment", environment)), cancellationToken);
        return TypedResults.Created($"{PublicUrl.Base(request)}/v1/apps/{app.Id}", new AppCredentials(app.Id, app.ClientId, secret, scopes, environment));
    }

    internal static async Task<Results<Ok<AppCredentials>, ProblemHttpResult>> RotateSecret(
        string id, ClaimsPrincipal user, TenancyStore store, Audit.AuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var app = await store.AppAsync(id, TenantFilter(user), cancellationToken);
        if (app is null)
        {
            return AppNotFound(id);
        }
        var secret = ClientSecrets.NewSecret();
        await store.RotateSecretAsync(app.Id, app.TenantId, ClientSecrets.Hash(secret), clock.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(AppEvent(user, "app.secret_rotated", app), cancellationToken);
        return TypedResults.Ok(new AppCredentials(app.Id, app.ClientId, secret, app.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), app.Environment));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DisableApp(
        string id, ClaimsPrincipal user, TenancyStore store, IAppDisabledNotice notice, Audit.AuditLog audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        var app = await store.AppAsync(id, TenantFilter(user), cancellationToken);
        if (app is null)
        {
            return AppNotFound(id);
        }
        await store.DisableAppAsync(app.Id, app.TenantId, clock.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(AppEvent(user, "app.disabled", app), cancellationToken);
        notice.AppDisabled(app.Id);
        return TypedResults.NoContent();
    }

    /// <summary>An app change, audited under the app's tenant (as owner, so the tenant's admins see it) with the acting caller.</summary>
    private static Audit.AuditEvent AppEvent(ClaimsPrincipal user, string type, AppRow app, params (string Key, object? Value)[] details) =>
        new(type, user.TenantId(), user.FindFirst(PlatformClaims.ClientId)?.Value, null, app.TenantId, app.Id,
            Audit.AuditEndpoints.Details([("app", app.Id), ("clientId", app.ClientId), .. details]));

    internal static async Task<Results<Created<Member>, ProblemHttpResult>> CreateMember(
        string id, NewMember body, ClaimsPrincipal user, TenancyStore store, HttpRequest request, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (tenant, refusal) = await AdministeredTenantAsync(user, id, store, cancellationToken);
        if (tenant is null)
        {
            return refusal!;
        }
        var errors = new Dictionary<string, string[]>();
        var email = body.Email?.Trim().ToLowerInvariant() ?? "";
        if (email.Length is < 3 or > 254 || !email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsWhiteSpace))
        {
            errors["email"] = ["email must be an e-mail address"];
        }
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
        {
            errors["name"] = ["name is required, at most 100 characters"];
        }
        if (!TenantRoles.Roles.Contains(body.Role))
        {
            errors["role"] = ["role must be admin, developer or reviewer"];
        }
        if (body.Password is null || body.Password.Length < 10)
        {
            errors["password"] = ["a password has at least 10 characters"];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        var member = new MemberRow
        {
            Id = "m-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)),
            TenantId = tenant.Id,
            Email = email,
            Name = body.Name.Trim(),
            Role = body.Role,
            CreatedAt = clock.GetUtcNow(),
        };
        member.PasswordHash = new PasswordHasher<MemberRow>().HashPassword(member, body.Password!);
        if (!await store.CreateMemberAsync(member, cancellationToken))
        {
            return Problems.Conflict(TenancyErrors.MemberExists, $"a person with e-mail '{email}' is registered already");
        }
        return TypedResults.Created($"{PublicUrl.Base(request)}/v1/tenants/{tenant.Id}/members", ToMember(member, tenant.Kind));
    }

    internal static async Task<Results<Ok<MemberList>, ProblemHttpResult>> ListMembers(
        string id, ClaimsPrincipal user, TenancyStore store, CancellationToken cancellationToken)
    {
        var (tenant, refusal) = await AdministeredTenantAsync(user, id, store, cancellationToken);
        if (tenant is null)
        {
            return refusal!;
        }
        var members = await store.MembersAsync(tenant.Id, cancellationToken);
        return TypedResults.Ok(new MemberList(members.Select(m => ToMember(m, tenant.Kind)).ToList()));
    }

    internal static async Task<Ok<Me>> GetMe(ClaimsPrincipal user, TenancyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await DescribeAsync(user, store, cancellationToken));

    /// <summary>Who a token speaks for: tenant, app, environment, scopes and plan (REST's /v1/me and GraphQL's me).</summary>
    internal static async Task<Me> DescribeAsync(ClaimsPrincipal user, TenancyStore store, CancellationToken cancellationToken)
    {
        var tenantId = user.TenantId();
        var tenant = tenantId is null ? null : await store.TenantAsync(tenantId, cancellationToken);
        var scopes = user.FindAll(PlatformClaims.Scope).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().Order(StringComparer.Ordinal).ToList();
        return new Me(tenantId, tenant?.Name, user.FindFirst(PlatformClaims.ClientId)?.Value,
            user.FindFirst(PlatformClaims.Environment)?.Value ?? "live", scopes, tenant?.Plan);
    }

    /// <summary>The operator sees every tenant; anyone else only their own, and another tenant's id is "not found".</summary>
    private static bool CanSee(ClaimsPrincipal user, string tenantId) =>
        user.HasScope(Scopes.PlatformAdmin) || user.TenantId() == tenantId;

    private static string? TenantFilter(ClaimsPrincipal user) => user.HasScope(Scopes.PlatformAdmin) ? null : user.TenantId() ?? "";

    private static async Task<(TenantRow? Tenant, ProblemHttpResult? Refusal)> AdministeredTenantAsync(
        ClaimsPrincipal user, string id, TenancyStore store, CancellationToken cancellationToken)
    {
        if (!CanSee(user, id))
        {
            return (null, TenantNotFound(id));
        }
        var tenant = await store.TenantAsync(id, cancellationToken);
        if (tenant is null)
        {
            return (null, TenantNotFound(id));
        }
        if (!user.HasScope(Scopes.PlatformAdmin) && !user.HasScope(Scopes.TenantAdmin))
        {
            return (null, Problems.Forbidden(CommonErrors.InsufficientScope, "this needs the tenant:admin scope"));
        }
        return (tenant, null);
    }

    private static Tenant ToTenant(TenantRow t) => new(t.Id, t.Name, t.Kind, t.Plan, TenancyStore.Limits(t.Limits), t.CreatedAt);

    private static Member ToMember(MemberRow m, string kind) => new(m.Id, m.TenantId, m.Email, m.Name, m.Role, TenantRoles.ScopesOf(kind, m.Role), m.CreatedAt);

    private static ProblemHttpResult TenantNotFound(string id) => Problems.NotFound(CommonErrors.TenantNotFound, $"no tenant '{id}' that this caller may see");

    private static ProblemHttpResult AppNotFound(string id) => Problems.NotFound(TenancyErrors.AppNotFound, $"no app '{id}' in this caller's tenant");
}
