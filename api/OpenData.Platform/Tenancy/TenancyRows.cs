namespace OpenData.Platform.Tenancy;

/// <summary>A row of <c>tenants</c>.</summary>
internal sealed class TenantRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Plan { get; set; } = "";
    public string Limits { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A row of <c>apps</c>.</summary>
internal sealed class AppRow
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Name { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string SecretHash { get; set; } = "";
    public string Scopes { get; set; } = "";
    public string Environment { get; set; } = "";
    public string RedirectUris { get; set; } = "";
    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset SecretRotatedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A row of <c>members</c>.</summary>
internal sealed class MemberRow
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Email { get; set; } = "";
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public int FailedLogins { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
