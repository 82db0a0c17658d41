using System.Text.Json;

namespace OpenData.Platform.Audit;

/// <summary>An audit entry as its readers see it.</summary>
internal sealed record AuditEntryView(long Seq, DateTimeOffset At, string Type, string? ActorTenant, string? ActorApp, string? DatasetId, string? OwnerId, string? Subject,
    JsonElement Details, string PrevHash, string Hash)
{
    public static AuditEntryView Of(AuditRow r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Seq, r.At, r.Type, r.ActorTenant, r.ActorApp, r.DatasetId, r.OwnerId, r.Subject, JsonDocument.Parse(r.Details).RootElement.Clone(), r.PrevHash, r.Hash);
    }
}

/// <summary>A page of audit entries; <c>next</c> continues after the last one.</summary>
internal sealed record AuditPage(IReadOnlyList<AuditEntryView> Items, string? Next);

/// <summary>
/// The chain's check: <c>ok</c>, how many entries, the head hash, and the first broken link if any, with a stable <c>code</c>
/// (<c>audit.entry_altered</c>, <c>audit.link_broken</c>, <c>audit.entry_missing</c>, <c>audit.head_mismatch</c>,
/// <c>audit.checkpoint_mismatch</c>, <c>audit.tail_removed</c>, <c>audit.checkpoint_forged</c>); <c>checkpoint</c> is the latest
/// signed checkpoint, <c>from</c> the first entry recomputed, <c>full</c> whether the walk began at the first entry.
/// </summary>
internal sealed record AuditVerification(bool Ok, long Entries, string Head, long? BrokenAt, string? Problem)
{
    public string? Code { get; init; }

    /// <summary>Absent until the first checkpoint is taken.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public AuditCheckpointView? Checkpoint { get; init; }

    public long? From { get; init; }

    public bool Full { get; init; }
}

/// <summary>A signed checkpoint of the chain, as <c>verify</c> shows it.</summary>
internal sealed record AuditCheckpointView(long Seq, DateTimeOffset At, string Hash, string Node, string KeyId);
