namespace OpenData.Platform.Tenancy;

/// <summary>A tenant: a data-owning organisation, a consumer company or team, or the platform itself.</summary>
public sealed record Tenant(string Id, string Name, string Kind, string Plan, IReadOnlyDictionary<string, long> Limits, DateTimeOffset CreatedAt);

/// <summary>The body of <c>POST /v1/tenants</c>; <c>id</c> is optional (a slug; owners' ids are their organisation ids).</summary>
public sealed record NewTenant(string? Id, string Name, string Kind, string? Plan, string? NameEn);

/// <summary>The body of <c>PATCH /v1/tenants/{id}</c>: a new plan and/or single limits to override (null removes an override).</summary>
public sealed record TenantPatch(string? Plan, Dictionary<string, long?>? Limits);

/// <summary>The body of <c>POST /v1/tenants/{id}/apps</c>.</summary>
public sealed record NewApp(string Name, IReadOnlyList<string>? Scopes, string? Environment, IReadOnlyList<string>? RedirectUris);

/// <summary>An app (OAuth client) as listed: never its secret.</summary>
public sealed record App(string Id, string TenantId, string Name, string ClientId, IReadOnlyList<string> Scopes, string Environment,
    IReadOnlyList<string> RedirectUris, bool Disabled, DateTimeOffset CreatedAt);

/// <summary>A new app or a rotated secret: the only time the secret is shown.</summary>
public sealed record AppCredentials(string Id, string ClientId, string ClientSecret, IReadOnlyList<string> Scopes, string Environment);

/// <summary>The body of <c>POST /v1/tenants/{id}/members</c>.</summary>
public sealed record NewMember(string Email, string Name, string Role, string Password);

/// <summary>A person of a tenant.</summary>
public sealed record Member(string Id, string TenantId, string Email, string Name, string Role, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt);

/// <summary>A tenant's people.</summary>
public sealed record MemberList(IReadOnlyList<Member> Items);

/// <summary><c>GET /v1/me</c>: who the token speaks for.</summary>
public sealed record Me(string? Tenant, string? TenantName, string? App, string? Environment, IReadOnlyList<string> Scopes, string? Plan);
