namespace OpenData.Platform.Audit;

/// <summary>
/// The <c>code</c> of a check of the audit chain that failed (<c>GET /v1/audit/verify</c> answers 200 with <c>ok: false</c>):
/// what was found broken, not a refusal of the request.
/// </summary>
internal static class AuditChainBreaks
{
    /// <summary>A checkpoint file does not carry a valid signature of the platform's key.</summary>
    public const string CheckpointForged = "audit.checkpoint_forged";

    /// <summary>A checkpoint names an entry after the chain's head: entries at the end were removed.</summary>
    public const string TailRemoved = "audit.tail_removed";

    /// <summary>An entry (a checkpointed one, or one between two others) is missing.</summary>
    public const string EntryMissing = "audit.entry_missing";

    /// <summary>An entry is not the one a checkpoint signed: the chain up to it was rewritten.</summary>
    public const string CheckpointMismatch = "audit.checkpoint_mismatch";

    /// <summary>An entry does not link to the entry before it.</summary>
    public const string LinkBroken = "audit.link_broken";

    /// <summary>An entry's content does not match its hash.</summary>
    public const string EntryAltered = "audit.entry_altered";

    /// <summary>The chain's head does not name the last entry as it is stored.</summary>
    public const string HeadMismatch = "audit.head_mismatch";
}
