using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Catalogue;

/// <summary>The catalogue's settings (section <c>OpenData:Catalogue</c>), validated at start.</summary>
internal sealed class CatalogueOptions
{
    public const string Section = "OpenData:Catalogue";

    /// <summary>
    /// How long a node reuses a dataset's schema and current version for reads, in seconds (0: ask the store every time). Changes
    /// made on the node apply at once; on PostgreSQL other nodes are told at once too (NOTIFY), and this bounds what one misses.
    /// </summary>
    [Range(0.0, 3600.0)]
    public double ReadCacheSeconds { get; set; } = 2.0;
}
