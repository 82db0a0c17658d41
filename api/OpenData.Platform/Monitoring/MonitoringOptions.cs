using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Monitoring;

/// <summary><c>OpenData:Monitoring</c>: when a tenant's reading of a dataset is unusual, and how often it is checked; validated at start.</summary>
internal sealed class MonitoringOptions
{
    public const string Section = "OpenData:Monitoring";

    /// <summary>How often usage is checked for unusual reads and masked values are written, in seconds.</summary>
    [Range(1, 3600)]
    public int CheckSeconds { get; set; } = 60;

    /// <summary>A day's rows must be more than this to be unusual, whatever the tenant's habit (and the whole rule for a tenant without one).</summary>
    [Range(0, long.MaxValue)]
    public long FloorRows { get; set; } = 1000;

    /// <summary>A day's rows must be more than this many times the tenant's median reading day to be unusual.</summary>
    [Range(1.0, 1000.0)]
    public double Factor { get; set; } = 5;

    /// <summary>How many days before a day make a tenant's habit.</summary>
    [Range(1, 90)]
    public int HistoryDays { get; set; } = 14;
}
