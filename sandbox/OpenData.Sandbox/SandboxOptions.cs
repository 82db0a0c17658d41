using System.ComponentModel.DataAnnotations;

namespace OpenData.Sandbox;

/// <summary>The sandbox's settings (section <c>OpenData:Sandbox</c>): how twins are generated and how often the worker looks for new versions.</summary>
internal sealed class SandboxOptions
{
    public const string Section = "OpenData:Sandbox";

    /// <summary>A twin has as many rows as its version, up to this many.</summary>
    [Range(1, 100_000_000)]
    public long MaxTwinRows { get; set; } = 1_000_000;

    /// <summary>A category seen fewer times than this in the real column never appears in the twin (k of the twin's policy).</summary>
    [Range(2, 1_000_000)]
    public int MinCategoryCount { get; set; } = 10;

    /// <summary>How often the worker looks for published versions without a twin, and for twins to retire.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a node's claim on a twin it is generating lasts without a heartbeat before another node may take it over.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
}
