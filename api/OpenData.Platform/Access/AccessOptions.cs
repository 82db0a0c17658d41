using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Access;

/// <summary>Access grants (section <c>OpenData:Access</c>), validated at start.</summary>
internal sealed class AccessOptions
{
    public const string Section = "OpenData:Access";

    /// <summary>How long a node keeps a caller's grants in memory, in seconds (0: ask the store every time). Changes made on the node apply at once.</summary>
    [Range(0.0, 3600.0)]
    public double GrantCacheSeconds { get; set; } = 1.0;
}
