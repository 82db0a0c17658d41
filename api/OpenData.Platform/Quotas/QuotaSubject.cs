namespace OpenData.Platform.Quotas;

/// <summary>
/// Whom a metered request counts against: a tenant (partition <c>t:{id}</c>) or, without a token, a client IP (<c>ip:{address}</c>),
/// with the plan and effective limits. Admission puts it on the request (<see cref="Microsoft.AspNetCore.Http.HttpContext.Features"/>)
/// with the request's usage counters.
/// </summary>
public sealed class QuotaSubject(string partition, string? tenantId, string? appId, string plan, PlanLimits limits)
{
    public string Partition { get; } = partition;

    public string? TenantId { get; } = tenantId;

    public string? AppId { get; } = appId;

    public string Plan { get; } = plan;

    public PlanLimits Limits { get; } = limits;

    /// <summary>Rows this request read (pages and exports), counted by the row allowance.</summary>
    public long Rows { get; set; }
}
