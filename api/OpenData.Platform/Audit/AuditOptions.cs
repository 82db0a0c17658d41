using System.ComponentModel.DataAnnotations;

namespace OpenData.Platform.Audit;

/// <summary>Checkpoints of the audit chain (section <c>OpenData:Audit</c>): where they are published and how often.</summary>
internal sealed class AuditOptions
{
    public const string Section = "OpenData:Audit";

    /// <summary>The append-only file of signed checkpoints; default <c>audit-checkpoints.jsonl</c> in the data folder.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>A checkpoint once this node has appended this many entries since the last one…</summary>
    [Range(1, int.MaxValue)]
    public int CheckpointEntries { get; set; } = 1000;

    /// <summary>…or once this many seconds have passed with new entries in the chain (from any node), whichever comes first.</summary>
    [Range(1, 86_400)]
    public int CheckpointSeconds { get; set; } = 60;
}
