using System.Text.Json;

namespace OpenData.Platform.Access;

internal sealed class AccessRequestRow
{
    public string Id { get; set; } = "";
    public long DatasetKey { get; set; }
    public string DatasetId { get; set; } = "";
    public string OwnerId { get; set; } = "";
    public string RequesterId { get; set; } = "";
    public string? AppId { get; set; }
    public string? Columns { get; set; }
    public string? Linkage { get; set; }
    public string Purpose { get; set; } = "";
    public string Kind { get; set; } = AccessKind.Records;
    public int DurationDays { get; set; }
    public string Status { get; set; } = "";
    public bool PlatformReview { get; set; }
    public string? ApprovedColumns { get; set; }
    public string? ApprovedLinkage { get; set; }
    public DateTimeOffset? ApprovedExpiresAt { get; set; }
    public string? GrantId { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A copy to change into the state after a transition (every field is a value or an immutable string).</summary>
    public AccessRequestRow Clone() => (AccessRequestRow)MemberwiseClone();

    public static string? Json(IReadOnlyList<string>? columns) => columns is null ? null : JsonSerializer.Serialize(columns);

    public static IReadOnlyList<string>? List(string? json) => json is null ? null : JsonSerializer.Deserialize<List<string>>(json);
}

internal sealed class AccessEventRow
{
    public string RequestId { get; set; } = "";
    public int Seq { get; set; }
    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string? FromStatus { get; set; }
    public string ToStatus { get; set; } = "";
    public string? Reason { get; set; }
    public string? Columns { get; set; }
    public string? Linkage { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
}

internal sealed class GrantRow
{
    public string Id { get; set; } = "";
    public string RequestId { get; set; } = "";
    public string TenantId { get; set; } = "";
    public long DatasetKey { get; set; }
    public string DatasetId { get; set; } = "";
    public string OwnerId { get; set; } = "";
    public string? AppId { get; set; }
    public string? Columns { get; set; }
    public string? Linkage { get; set; }
    public string Purpose { get; set; } = "";
    public string Kind { get; set; } = AccessKind.Records;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public string? RevokeReason { get; set; }
}
