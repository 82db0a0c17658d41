using System.Globalization;

namespace OpenData.Platform.Audit;

/// <summary>
/// A signed statement that the audit chain, checked up to entry <see cref="Seq"/>, ended in <see cref="Hash"/> at <see cref="At"/>,
/// by node <see cref="Node"/> with key <see cref="KeyId"/>. One line of the checkpoint file.
/// </summary>
internal sealed record AuditCheckpoint(long Seq, string Hash, DateTimeOffset At, string Node, string KeyId, string Signature)
{
    /// <summary>The bytes signed: a fixed prefix (so the signature means nothing anywhere else) and each field on its own line.</summary>
    public string Payload() => string.Join('\n', "opendata-audit-checkpoint/v1", Seq.ToString(CultureInfo.InvariantCulture), Hash,
        At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture), Node, KeyId);
}
