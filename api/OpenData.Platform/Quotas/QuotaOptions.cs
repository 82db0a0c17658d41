using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Quotas;

/// <summary><c>OpenData:Quotas</c>: how admission and metering run (the limits themselves are in <c>policies/plans.yaml</c>).</summary>
internal sealed class QuotaOptions
{
    public const string Section = "OpenData:Quotas";

    /// <summary>Admission on or off. Off is for measuring the platform without it (the bench); never in production.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The day of daily quotas and usage starts at midnight of this UTC offset (China Standard Time by default).</summary>
    [Range(-14, 14)]
    public int DayOffsetHours { get; set; } = 8;

    /// <summary>The largest block of a day's allowance a node leases at once; smaller blocks waste less when a node stops.</summary>
    [Range(1, 1_000_000)]
    public int MaxLeaseBlock { get; set; } = 1000;

    /// <summary>A node hands back a lease nobody used for this long, so other nodes can use it.</summary>
    [Range(1, 3600)]
    public int IdleLeaseSeconds { get; set; } = 5;

    /// <summary>How often buffered usage counts are written to the store (and always on a graceful stop).</summary>
    [Range(1, 3600)]
    public int FlushSeconds { get; set; } = 5;

    /// <summary>
    /// How many entries of the request log a node keeps in memory while the store cannot take them; past that the oldest are
    /// dropped (and the drop logged), so a store outage never grows the node's memory without bound.
    /// </summary>
    [Range(100, 10_000_000)]
    public int RequestLogQueue { get; set; } = 100_000;

    /// <summary>How long a node trusts its copy of a tenant's plan and overrides; changes made on the node itself apply at once.</summary>
    [Range(0, 3600)]
    public int TenantCacheSeconds { get; set; } = 1;
}
