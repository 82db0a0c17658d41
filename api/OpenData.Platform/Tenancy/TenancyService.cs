using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Tenancy;

/// <summary>
/// The rules of tenancy — who may see and administer which tenant, what a tenant, app or person must look like, what is audited —
/// answered as an <see cref="Outcome{T}"/> for REST and GraphQL alike; SQL is <see cref="TenancyStore"/>'s.
/// </summary>
internal sealed partial class TenancyService(
    TenancyStore store, Quotas.PlanPolicy plans, Quotas.QuotaSubjects subjects, Audit.AuditLog audit, IAppDisabledNotice notice, ITenantDisabledNotice tenantNotice, IAppBoundsNotice boundsNotice, IEnumerable<Quotas.IAppPlanSource> appPlans, TenantScopes tenantScopes, TimeProvider clock)
{
    public static IReadOnlyList<string> LimitNames => Quotas.PlanLimits.Names;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$")]
    private static partial Regex Slug();

    /// <summary>A new tenant: an owner (data-publishing organisation) or a consumer, on a plan (free unless named).</summary>
    public async Task<Outcome<Tenant>> CreateTenantAsync(NewTenant body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
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
            return Refusal.Validation(errors);
        }
        var tenant = new TenantRow
        {
            Id = body.Id ?? "t-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)),
            Name = body.Name.Trim(),
            Kind = body.Kind,
            Plan = plan,
            Limits = "{}",
            CreatedAt = clock.GetUtcNow(),
        };
        if (!await store.CreateTenantAsync(tenant, body.NameEn, cancellationToken))
        {
            return Refusal.Conflict(TenancyErrors.TenantExists, $"a tenant with id '{tenant.Id}' exists already");
        }
        return ToTenant(tenant);
    }

    /// <summary>A tenant, for its members and the operator.</summary>
    public async Task<Outcome<Tenant>> GetTenantAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var tenant = CanSee(user, id) ? await store.TenantAsync(id, cancellationToken) : null;
        return tenant is null ? TenantNotFound(id) : ToTenant(tenant);
    }

    /// <summary>The longest reason a tenant's disabling may carry.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>
    /// A new plan and/or single limits overridden (a null limit removes its override), and/or the tenant disabled (with a
    /// reason) or enabled again; each change audited. The platform's own tenant cannot be disabled.
    /// </summary>
    public async Task<Outcome<Tenant>> PatchTenantAsync(ClaimsPrincipal user, string id, TenantPatch body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
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
                errors[$"limits.{name}"] = [NegativeLimit];
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
        var reason = body.Reason?.Trim();
        if (body.Disabled is true && (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength))
        {
            errors["reason"] = [$"disabling a tenant needs a reason of 1 to {MaxReasonLength} characters"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        if (body.Disabled is true && tenant.Kind == "platform")
        {
            return Refusal.Conflict(TenancyErrors.PlatformTenantProtected, "the platform's own tenant cannot be disabled: its operators would lock themselves out");
        }
        var actor = user.TenantId();
        var app = user.Actor();
        if (body.Plan is not null || body.Limits is not null || body.Disabled is null)
        {
            await store.UpdateTenantAsync(id, body.Plan ?? tenant.Plan, limits, cancellationToken);
            subjects.Forget(id);
            await audit.AppendAsync(new Audit.AuditEvent("tenant.plan_changed", actor, app, null, id, id,
                Audit.AuditDetails.Of(("plan", body.Plan ?? tenant.Plan), ("limits", limits))), cancellationToken);
        }
        if (body.Disabled is { } disabled && disabled != tenant.DisabledAt.HasValue)
        {
            await store.SetDisabledAsync(id, disabled ? clock.GetUtcNow() : null, disabled ? reason : null, cancellationToken);
            tenantNotice.TenantDisabledChanged(id);
            await audit.AppendAsync(new Audit.AuditEvent(disabled ? "tenant.disabled" : "tenant.enabled", actor, app, null, id, id,
                disabled ? Audit.AuditDetails.Of(("reason", reason)) : Audit.AuditDetails.Of(("previousReason", tenant.DisabledReason))), cancellationToken);
        }
        return ToTenant((await store.TenantAsync(id, cancellationToken))!);
    }

    /// <summary>The service's words for a negative limit (the portal says them in the page's language).</summary>
    public const string NegativeLimit = "a limit is a whole number ≥ 0, or null to remove the override";

    /// <summary>The operator's search of tenants (name or id, kind, plan), a page at a time; refused to anyone else.</summary>
    public async Task<Outcome<TenantPage>> SearchTenantsAsync(ClaimsPrincipal user, TenantSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        if (!user.HasScope(Scopes.PlatformAdmin))
        {
            return Refusal.Forbidden(CommonErrors.InsufficientScope, "this needs the platform:admin scope");
        }
        var errors = new Dictionary<string, string[]>();
        if (search.Kind is not null && !TenantRoles.Kinds.Contains(search.Kind))
        {
            errors["kind"] = [$"kind must be one of: {string.Join(", ", TenantRoles.Kinds)}"];
        }
        if (search.Plan is not null && !plans.TenantPlans.Contains(search.Plan))
        {
            errors["plan"] = [$"plan must be one of: {string.Join(", ", plans.TenantPlans)}"];
        }
        if (search.Q is { Length: > 200 })
        {
            errors["q"] = ["the search text is at most 200 characters"];
        }
        if (search.Limit is < 1 or > 200 || search.Offset < 0)
        {
            errors["limit"] = ["a page holds 1 to 200 tenants, from an offset ≥ 0"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        var (rows, total) = await store.SearchTenantsAsync(search with { Q = search.Q?.Trim() is { Length: > 0 } q ? q : null }, cancellationToken);
        return new TenantPage(rows.Select(r => new TenantSummary(
            new Tenant(r.Id, r.Name, r.Kind, r.Plan, TenancyStore.Limits(r.Limits), r.CreatedAt, r.DisabledAt is not null, r.DisabledAt, r.DisabledReason),
            (int)r.Members, (int)r.Apps)).ToList(), total);
    }

    /// <summary>A tenant with how many people and apps it has, for the operator's console.</summary>
    public async Task<Outcome<TenantSummary>> SummaryAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        if (!user.HasScope(Scopes.PlatformAdmin))
        {
            return Refusal.Forbidden(CommonErrors.InsufficientScope, "this needs the platform:admin scope");
        }
        var tenant = await store.TenantAsync(id, cancellationToken);
        if (tenant is null)
        {
            return TenantNotFound(id);
        }
        var (members, apps) = await store.CountsAsync(id, cancellationToken);
        return new TenantSummary(ToTenant(tenant), (int)members, (int)apps);
    }

    /// <summary>A new app (OAuth client) of an administered tenant; its secret is answered once and stored only as a hash.</summary>
    public async Task<Outcome<AppCredentials>> CreateAppAsync(ClaimsPrincipal user, string id, NewApp body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var administered = await AdministeredTenantAsync(user, id, cancellationToken);
        if (administered.Refusal is { } refusal)
        {
            return refusal;
        }
        var errors = new Dictionary<string, string[]>();
        var tenant = administered.Value!;
        var app = NewAppRow(tenant, await tenantScopes.AllowedAsync(tenant.Id, tenant.Kind, cancellationToken), body, errors);
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        var (credentials, details) = await InsertAppAsync(app, cancellationToken);
        await audit.AppendAsync(AppEvent(user, "app.created", app, details), cancellationToken);
        return credentials;
    }

    /// <summary>
    /// A new app of a tenant bound to a plan and to datasets (<see cref="AppBounds"/>), for trusted platform code — a contest's
    /// approval issuing a team's sandbox credentials — so no caller's rights are checked: the caller is the authority, and
    /// <paramref name="actor"/> (who decided, for the audit trail) is recorded as is. The app itself follows the public path's
    /// rules (name, scopes of the tenant's kind, environment); it is a client-credentials app (no redirect URIs), and the plan is
    /// one of <c>policies/plans.yaml</c>. Anything else is an <see cref="ArgumentException"/>. The secret is answered once.
    /// </summary>
    public async Task<AppCredentials> CreateBoundAppAsync(string tenantId, NewApp app, AppBounds bounds, string? actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(bounds);
        var tenant = await store.TenantAsync(tenantId, ct) ?? throw new ArgumentException($"no tenant '{tenantId}'", nameof(tenantId));
        var errors = new Dictionary<string, string[]>();
        var row = NewAppRow(tenant, await tenantScopes.AllowedAsync(tenant.Id, tenant.Kind, ct), app, errors);
        if (app.RedirectUris is { Count: > 0 })
        {
            errors["redirectUris"] = ["a bound app uses client credentials only: it has no redirect URIs"];
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException("the app is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}")), nameof(app));
        }
        var (plan, datasets) = CheckBounds(bounds);
        (row.Plan, row.Datasets) = (plan, datasets is null ? null : System.Text.Json.JsonSerializer.Serialize(datasets));
        var (credentials, details) = await InsertAppAsync(row, ct);
        if (bounds.Binds)
        {
            boundsNotice.AppBoundsChanged(row.Id);
        }
        await audit.AppendAsync(new Audit.AuditEvent("app.created", null, actor, null, row.TenantId, row.Id,
            Audit.AuditDetails.Of([("app", row.Id), ("clientId", row.ClientId), .. details, ("plan", plan), ("datasets", datasets)])), ct);
        return credentials;
    }

    /// <summary>
    /// Binds an app to other bounds, or unbinds it (<see cref="AppBounds.None"/>), for trusted platform code (a contest whose
    /// datasets changed). Tokens issued from now on carry the new bounds; tokens already issued are read under them too, on this
    /// node from the next request and on other nodes within the token checks' reload interval (<c>OpenData:Auth:VoidCheckSeconds</c>).
    /// An unknown app, an unknown plan, an app with redirect URIs: <see cref="ArgumentException"/>. Audited as <c>app.bounds_changed</c>.
    /// </summary>
    public async Task SetAppBoundsAsync(string appId, AppBounds bounds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        var app = await store.AppAsync(appId, null, ct) ?? throw new ArgumentException($"no app '{appId}'", nameof(appId));
        if (bounds.Binds && app.RedirectUris.Length > 0)
        {
            throw new ArgumentException($"app '{appId}' has redirect URIs: a bound app uses client credentials only", nameof(appId));
        }
        var (plan, datasets) = CheckBounds(bounds);
        await store.SetBoundsAsync(app.Id, plan, datasets is null ? null : System.Text.Json.JsonSerializer.Serialize(datasets), ct);
        boundsNotice.AppBoundsChanged(app.Id);
        await audit.AppendAsync(new Audit.AuditEvent("app.bounds_changed", null, null, null, app.TenantId, app.Id,
            Audit.AuditDetails.Of(("app", app.Id), ("clientId", app.ClientId), ("plan", plan), ("datasets", datasets))), ct);
    }

    /// <summary>The bounds as kept (the plan; the dataset ids once each, in order), once the plan is known and each id is a dataset id.</summary>
    private (string? Plan, List<string>? Datasets) CheckBounds(AppBounds bounds)
    {
        if (bounds.Plan is not null && !plans.TenantPlans.Contains(bounds.Plan) && !appPlans.Any(p => p.Owns(bounds.Plan)))
        {
            throw new ArgumentException($"plan must be one of: {string.Join(", ", plans.TenantPlans)}; not '{bounds.Plan}'", nameof(bounds));
        }
        if (bounds.Datasets?.FirstOrDefault(d => d is null || !Slug().IsMatch(d)) is { } bad)
        {
            throw new ArgumentException($"'{bad}' is not a dataset id (a slug of 3 to 64 characters: lower-case letters, digits and '-')", nameof(bounds));
        }
        return (bounds.Plan, bounds.Datasets?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// A new app of <paramref name="tenant"/> as the body asks, holding only scopes the tenant may hold now (<paramref name="allowed"/>),
    /// its problems (if any) added to <paramref name="errors"/>.
    /// </summary>
    private AppRow NewAppRow(TenantRow tenant, IReadOnlyList<string> allowed, NewApp body, Dictionary<string, string[]> errors)
    {
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
        var now = clock.GetUtcNow();
        return new AppRow
        {
            Id = "app-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            TenantId = tenant.Id,
            Name = body.Name?.Trim() ?? "",
            ClientId = ClientSecrets.NewClientId(environment),
            Scopes = string.Join(' ', scopes),
            Environment = environment,
            RedirectUris = string.Join(' ', redirects),
            SecretRotatedAt = now,
            CreatedAt = now,
        };
    }

    /// <summary>Stores a new app with a fresh secret (kept only hashed); answers its credentials and what its audit entry says of it.</summary>
    private async Task<(AppCredentials Credentials, (string Key, object? Value)[] Details)> InsertAppAsync(AppRow app, CancellationToken cancellationToken)
    {
        var secret = ClientSecrets.NewSecret(app.Environment);
        app.SecretHash = ClientSecrets.Hash(secret);
        await store.CreateAppAsync(app, cancellationToken);
        var scopes = app.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (new AppCredentials(app.Id, app.ClientId, secret, scopes, app.Environment), [("name", app.Name), ("scopes", scopes), ("environment", app.Environment)]);
    }

    /// <summary>An app of the caller's tenant (any for the operator), never its secret; another tenant's is not found.</summary>
    public async Task<Outcome<App>> FindAppAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var app = await store.AppAsync(id, TenantFilter(user), cancellationToken);
        return app is null ? AppNotFound(id) : ToApp(app);
    }

    /// <summary>A new secret for an app of the caller's tenant (any for the operator); the old one stops working at once.</summary>
    public async Task<Outcome<AppCredentials>> RotateSecretAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var app = await store.AppAsync(id, TenantFilter(user), cancellationToken);
        if (app is null)
        {
            return AppNotFound(id);
        }
        // A sandbox app's new secret keeps the sbx_ prefix: the app's environment never changes.
        var secret = ClientSecrets.NewSecret(app.Environment);
        await store.RotateSecretAsync(app.Id, app.TenantId, ClientSecrets.Hash(secret), clock.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(AppEvent(user, "app.secret_rotated", app), cancellationToken);
        return new AppCredentials(app.Id, app.ClientId, secret, app.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), app.Environment);
    }

    /// <summary>Disables an app of the caller's tenant (any for the operator): its tokens stop working on the next request.</summary>
    public async Task<Outcome<string>> DisableAppAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var app = await store.AppAsync(id, TenantFilter(user), cancellationToken);
        if (app is null)
        {
            return AppNotFound(id);
        }
        await store.DisableAppAsync(app.Id, app.TenantId, clock.GetUtcNow(), cancellationToken);
        await audit.AppendAsync(AppEvent(user, "app.disabled", app), cancellationToken);
        notice.AppDisabled(app.Id);
        return app.Id;
    }

    /// <summary>
    /// The caller an active app of the person's own tenant is to the platform: the claims its client-credentials token carries
    /// (tenant, client id, environment, the app's scopes and bounds), for the portal's try-it console, which reads as the app without a
    /// secret leaving the server. Another tenant's app, and a disabled one, is not found — not even for the operator.
    /// </summary>
    public async Task<Outcome<ClaimsPrincipal>> ActAsAppAsync(ClaimsPrincipal person, string id, CancellationToken cancellationToken)
    {
        var tenant = person.TenantId();
        var app = tenant is null ? null : await store.AppAsync(id, tenant, cancellationToken);
        if (app is null || app.DisabledAt is not null)
        {
            return AppNotFound(id);
        }
        var identity = new ClaimsIdentity("app", "name", null);
        identity.AddClaim(new Claim("sub", app.ClientId));
        identity.AddClaim(new Claim("name", app.Name));
        identity.AddClaim(new Claim(PlatformClaims.Tenant, app.TenantId));
        identity.AddClaim(new Claim(PlatformClaims.ClientId, app.ClientId));
        identity.AddClaim(new Claim(PlatformClaims.Environment, app.Environment));
        // As the token server would issue it: scopes the tenant may no longer hold (a revoked provider licence) drop out.
        var kind = (await store.TenantAsync(app.TenantId, cancellationToken))?.Kind ?? "consumer";
        identity.AddClaim(new Claim(PlatformClaims.Scope, string.Join(' ', await tenantScopes.HeldByAppAsync(app.Scopes, app.TenantId, kind, cancellationToken))));
        var bounds = app.Bounds;
        identity.SetBounds(bounds.Plan, bounds.Datasets);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>A new person of an administered tenant, who signs in to the portal; the password is stored only hashed.</summary>
    public async Task<Outcome<Member>> CreateMemberAsync(ClaimsPrincipal user, string id, NewMember body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var administered = await AdministeredTenantAsync(user, id, cancellationToken);
        if (administered.Refusal is { } refusal)
        {
            return refusal;
        }
        var tenant = administered.Value!;
        var errors = new Dictionary<string, string[]>();
        var email = CheckPerson(body.Email, body.Name, body.Password, errors);
        if (!TenantRoles.Roles.Contains(body.Role))
        {
            errors["role"] = ["role must be admin, developer or reviewer"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        var member = NewMemberRow(tenant.Id, email, body.Name, body.Role, body.Password!);
        if (!await store.CreateMemberAsync(member, cancellationToken))
        {
            return MemberExists(email);
        }
        return ToMember(member, tenant.Kind, await tenantScopes.ExtraAsync(tenant.Id, tenant.Kind, cancellationToken));
    }

    /// <summary>
    /// Self-service sign-up: a new consumer tenant on the free plan and its first person, an admin, in one transaction. The
    /// same rules as an admin adding a person (<see cref="CreateMemberAsync"/>); an e-mail registered already is refused as
    /// <see cref="TenancyErrors.MemberExists"/>. That tells the visitor the address has an account — which the e-mail's
    /// owner needs to hear (sign in instead), and which is the only way to refuse a duplicate; it reveals no more than
    /// the password-reset a platform must offer would, and sign-up is throttled like sign-in by the portal's caller.
    /// </summary>
    public async Task<Outcome<SignedUp>> SignUpAsync(NewSignUp body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Organisation) || body.Organisation.Trim().Length > 200)
        {
            errors["organisation"] = ["organisation is required, at most 200 characters"];
        }
        var email = CheckPerson(body.Email, body.Name, body.Password, errors);
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        var now = clock.GetUtcNow();
        var tenant = new TenantRow
        {
            Id = "t-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)),
            Name = body.Organisation!.Trim(),
            Kind = "consumer",
            Plan = "free",
            Limits = "{}",
            CreatedAt = now,
        };
        var member = NewMemberRow(tenant.Id, email, body.Name!, "admin", body.Password!);
        if (!await store.CreateTenantWithAdminAsync(tenant, member, cancellationToken))
        {
            return MemberExists(email);
        }
        await audit.AppendAsync(new Audit.AuditEvent("tenant.signed_up", tenant.Id, null, null, tenant.Id, tenant.Id,
            Audit.AuditDetails.Of(("member", member.Id), ("plan", tenant.Plan))), cancellationToken);
        return new SignedUp(ToTenant(tenant), ToMember(member, tenant.Kind, []));
    }

    /// <summary>A tenant's apps (never their secrets), for every member of the tenant and the operator.</summary>
    public async Task<Outcome<AppList>> ListAppsAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        if (!CanSee(user, id) || await store.TenantAsync(id, cancellationToken) is null)
        {
            return TenantNotFound(id);
        }
        var apps = await store.AppsAsync(id, cancellationToken);
        return new AppList(apps.Select(ToApp).ToList());
    }

    private static App ToApp(AppRow a)
    {
        var bounds = a.Bounds;
        return new(a.Id, a.TenantId, a.Name, a.ClientId, a.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), a.Environment,
            a.RedirectUris.Split(' ', StringSplitOptions.RemoveEmptyEntries), a.DisabledAt is not null, a.CreatedAt, bounds.Plan, bounds.Datasets);
    }

    /// <summary>The rules of a person's e-mail, name and password; the e-mail as stored (trimmed, lower case).</summary>
    private static string CheckPerson(string? rawEmail, string? name, string? password, Dictionary<string, string[]> errors)
    {
        var email = rawEmail?.Trim().ToLowerInvariant() ?? "";
        if (email.Length is < 3 or > 254 || !email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsWhiteSpace))
        {
            errors["email"] = ["email must be an e-mail address"];
        }
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            errors["name"] = ["name is required, at most 100 characters"];
        }
        if (password is null || password.Length < MinPasswordLength)
        {
            errors["password"] = [$"a password has at least {MinPasswordLength} characters"];
        }
        return email;
    }

    /// <summary>The platform's password rule: at least this many characters (no composition rules, as NIST SP 800-63B advises).</summary>
    public const int MinPasswordLength = 10;

    private MemberRow NewMemberRow(string tenantId, string email, string name, string role, string password)
    {
        var member = new MemberRow
        {
            Id = "m-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            TenantId = tenantId,
            Email = email,
            Name = name.Trim(),
            Role = role,
            CreatedAt = clock.GetUtcNow(),
        };
        member.PasswordHash = new PasswordHasher<MemberRow>().HashPassword(member, password);
        return member;
    }

    private static Refusal MemberExists(string email) =>
        Refusal.Conflict(TenancyErrors.MemberExists, $"a person with e-mail '{email}' is registered already");

    /// <summary>An administered tenant's people and their roles.</summary>
    public async Task<Outcome<MemberList>> ListMembersAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var administered = await AdministeredTenantAsync(user, id, cancellationToken);
        if (administered.Refusal is { } refusal)
        {
            return refusal;
        }
        var tenant = administered.Value!;
        var members = await store.MembersAsync(tenant.Id, cancellationToken);
        var extra = await tenantScopes.ExtraAsync(tenant.Id, tenant.Kind, cancellationToken);
        return new MemberList(members.Select(m => ToMember(m, tenant.Kind, extra)).ToList());
    }

    /// <summary>Who a token speaks for: tenant, app, environment, scopes and plan — a bound app's own plan, else its tenant's (REST's /v1/me and GraphQL's me).</summary>
    public async Task<Me> DescribeAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var tenantId = user.TenantId();
        var tenant = tenantId is null ? null : await store.TenantAsync(tenantId, cancellationToken);
        var scopes = user.FindAll(PlatformClaims.Scope).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().Order(StringComparer.Ordinal).ToList();
        return new Me(tenantId, tenant?.Name, user.FindFirst(PlatformClaims.ClientId)?.Value,
            user.FindFirst(PlatformClaims.Environment)?.Value ?? "live", scopes, user.AppPlan() ?? tenant?.Plan);
    }

    /// <summary>An app change, audited under the app's tenant (as owner, so the tenant's admins see it) with the acting caller.</summary>
    private static Audit.AuditEvent AppEvent(ClaimsPrincipal user, string type, AppRow app, params (string Key, object? Value)[] details) =>
        new(type, user.TenantId(), user.Actor(), null, app.TenantId, app.Id,
            Audit.AuditDetails.Of([("app", app.Id), ("clientId", app.ClientId), .. details]));

    /// <summary>The operator sees every tenant; anyone else only their own, and another tenant's id is "not found".</summary>
    private static bool CanSee(ClaimsPrincipal user, string tenantId) =>
        user.HasScope(Scopes.PlatformAdmin) || user.TenantId() == tenantId;

    private static string? TenantFilter(ClaimsPrincipal user) => user.HasScope(Scopes.PlatformAdmin) ? null : user.TenantId() ?? "";

    private async Task<Outcome<TenantRow>> AdministeredTenantAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        if (!CanSee(user, id))
        {
            return TenantNotFound(id);
        }
        var tenant = await store.TenantAsync(id, cancellationToken);
        if (tenant is null)
        {
            return TenantNotFound(id);
        }
        if (!user.HasScope(Scopes.PlatformAdmin) && !user.HasScope(Scopes.TenantAdmin))
        {
            return Refusal.Forbidden(CommonErrors.InsufficientScope, "this needs the tenant:admin scope");
        }
        return tenant;
    }

    private static Tenant ToTenant(TenantRow t) => new(t.Id, t.Name, t.Kind, t.Plan, TenancyStore.Limits(t.Limits), t.CreatedAt, t.DisabledAt is not null, t.DisabledAt, t.DisabledReason);

    private static Member ToMember(MemberRow m, string kind, IReadOnlyList<string> extra) =>
        new(m.Id, m.TenantId, m.Email, m.Name, m.Role, TenantRoles.ScopesOf(kind, m.Role, extra), m.CreatedAt);

    private static Refusal TenantNotFound(string id) => Refusal.NotFound(CommonErrors.TenantNotFound, $"no tenant '{id}' that this caller may see");

    private static Refusal AppNotFound(string id) => Refusal.NotFound(TenancyErrors.AppNotFound, $"no app '{id}' in this caller's tenant");
}
