using System.Text.Json.Serialization;

namespace OpenData.Platform.Tenancy;

/// <summary>
/// A tenant: a data-owning organisation, a consumer company or team, or the platform itself. A disabled tenant's apps get no
/// tokens and its people cannot sign in; <c>disabledReason</c> says why.
/// </summary>
internal sealed record Tenant(string Id, string Name, string Kind, string Plan, IReadOnlyDictionary<string, long> Limits, DateTimeOffset CreatedAt,
    bool Disabled = false, DateTimeOffset? DisabledAt = null, string? DisabledReason = null);

/// <summary>The body of <c>POST /v1/tenants</c>; <c>id</c> is optional (a slug; owners' ids are their organisation ids).</summary>
internal sealed record NewTenant(string? Id, string Name, string Kind, string? Plan, string? NameEn);

/// <summary>
/// The body of <c>PATCH /v1/tenants/{id}</c>: a new plan and/or single limits to override (null removes an override), and/or
/// <c>disabled</c> (true with a <c>reason</c> disables the tenant at once; false enables it again).
/// </summary>
internal sealed record TenantPatch(string? Plan, Dictionary<string, long?>? Limits, bool? Disabled = null, string? Reason = null);

/// <summary>The body of <c>POST /v1/tenants/{id}/apps</c>.</summary>
internal sealed record NewApp(string Name, IReadOnlyList<string>? Scopes, string? Environment, IReadOnlyList<string>? RedirectUris);

/// <summary>
/// An app (OAuth client) as listed: never its secret. A bound app (<see cref="AppBounds"/>) shows its own <c>plan</c> and the
/// <c>datasets</c> it may read; both are absent for an app that is as its tenant.
/// </summary>
internal sealed record App(string Id, string TenantId, string Name, string ClientId, IReadOnlyList<string> Scopes, string Environment,
    IReadOnlyList<string> RedirectUris, bool Disabled, DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Plan = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Datasets = null);

/// <summary>
/// What binds an app, set only by trusted platform code (a contest team's sandbox app), never through the public API: a plan of
/// its own (its usage counts apart from its tenant's, under that plan's limits) and the ids of the only datasets it may read.
/// Null is "as the tenant": the tenant's plan and allowance, every dataset the tenant may read.
/// </summary>
internal sealed record AppBounds(string? Plan, IReadOnlyList<string>? Datasets)
{
    /// <summary>An app bound by nothing.</summary>
    public static readonly AppBounds None = new(null, null);

    /// <summary>Whether anything binds the app.</summary>
    public bool Binds => Plan is not null || Datasets is not null;

    /// <summary>Whether both bind alike: the same plan, the same datasets in any order.</summary>
    public bool SameAs(AppBounds other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Plan == other.Plan && (Datasets is null ? other.Datasets is null
            : other.Datasets is not null && Datasets.ToHashSet(StringComparer.Ordinal).SetEquals(other.Datasets));
    }
}

/// <summary>A new app or a rotated secret: the only time the secret is shown.</summary>
internal sealed record AppCredentials(string Id, string ClientId, string ClientSecret, IReadOnlyList<string> Scopes, string Environment);

/// <summary>The body of <c>POST /v1/tenants/{id}/members</c>.</summary>
internal sealed record NewMember(string Email, string Name, string Role, string Password);

/// <summary>A person of a tenant.</summary>
internal sealed record Member(string Id, string TenantId, string Email, string Name, string Role, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt);

/// <summary>A tenant's people.</summary>
internal sealed record MemberList(IReadOnlyList<Member> Items);

/// <summary><c>GET /v1/me</c>: who the token speaks for.</summary>
internal sealed record Me(string? Tenant, string? TenantName, string? App, string? Environment, IReadOnlyList<string> Scopes, string? Plan);

/// <summary>The portal's sign-up form: a new consumer organisation and its first admin, who signs in with this e-mail and password.</summary>
internal sealed record NewSignUp(string? Organisation, string? Name, string? Email, string? Password);

/// <summary>A consumer tenant just signed up, and its first admin.</summary>
internal sealed record SignedUp(Tenant Tenant, Member Admin);

/// <summary>A tenant's apps.</summary>
internal sealed record AppList(IReadOnlyList<App> Items);

/// <summary>The operator's search of tenants: text in the name or id, kind, plan; a page of <c>limit</c> from <c>offset</c>.</summary>
internal sealed record TenantSearch(string? Q, string? Kind, string? Plan, int Offset, int Limit);

/// <summary>A tenant as the operator's console lists it: with how many people and apps it has.</summary>
internal sealed record TenantSummary(Tenant Tenant, int Members, int Apps);

/// <summary>A page of the operator's tenant search, and how many tenants match in all.</summary>
internal sealed record TenantPage(IReadOnlyList<TenantSummary> Items, int Total);
