using System.Text.Json;

namespace OpenData.Platform.Tenancy;

/// <summary>A row of <c>tenants</c>.</summary>
internal class TenantRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Plan { get; set; } = "";
    public string Limits { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public string? DisabledReason { get; set; }
}

/// <summary>A row of the operator's tenant search: the tenant with its counts of people and apps.</summary>
internal sealed class TenantSummaryRow : TenantRow
{
    public long Members { get; set; }
    public long Apps { get; set; }
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

    /// <summary>The app's own plan, or null: its tenant's (<see cref="AppBounds.Plan"/>).</summary>
    public string? Plan { get; set; }

    /// <summary>The ids of the datasets the app may read as a JSON array, or null: every dataset (<see cref="AppBounds.Datasets"/>).</summary>
    public string? Datasets { get; set; }

    /// <summary>When the app's tenant was disabled (read with the app where the token server asks; null otherwise).</summary>
    public DateTimeOffset? TenantDisabledAt { get; set; }

    /// <summary>The kind of the app's tenant (read with the app where the token server asks; empty otherwise).</summary>
    public string TenantKind { get; set; } = "";

    /// <summary>Whether the app may authenticate: neither it nor its tenant is disabled.</summary>
    public bool Usable => DisabledAt is null && TenantDisabledAt is null;

    /// <summary>What binds the app, read from <see cref="Plan"/> and <see cref="Datasets"/>.</summary>
    public AppBounds Bounds => new(Plan, Datasets is null ? null : JsonSerializer.Deserialize<List<string>>(Datasets) ?? []);
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
