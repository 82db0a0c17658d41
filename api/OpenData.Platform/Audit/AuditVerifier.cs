using System.Data.Common;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Audit;

/// <summary>
/// Checks the audit chain against the signed checkpoints published outside the store. Incremental by default: the chain is
/// recomputed from the latest checkpoint to the head, and the entry at that checkpoint must still hold the hash it signed; a
/// rewrite anywhere before it that recomputed the hashes changes that entry's hash, so it shows there. Full: from the first
/// entry, comparing every checkpoint on the way, which also finds an edit that left the following hashes alone.
/// </summary>
internal sealed class AuditVerifier(Database database, AuditCheckpoints checkpoints)
{
    /// <summary>Checks the chain; <paramref name="full"/> recomputes it from the first entry.</summary>
    public async Task<AuditVerification> VerifyAsync(bool full, CancellationToken cancellationToken)
    {
        var (genuine, problems) = checkpoints.Read();
        var latest = genuine.Count == 0 ? null : genuine[^1];
        await using var connection = await database.OpenAsync(cancellationToken);
        // The head first: entries appended while the walk runs are after it and left for the next check.
        var head = await connection.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition("SELECT seq, hash FROM audit_head WHERE id = 1", cancellationToken: cancellationToken));
        var anchor = full ? null : latest;
        AuditVerification result;
        if (problems.Count > 0)
        {
            result = Broken(head.Hash, problems[0].Seq, AuditChainBreaks.CheckpointForged, problems[0].Problem);
        }
        else if (latest is not null && latest.Seq > head.Seq)
        {
            result = Broken(head.Hash, head.Seq + 1, AuditChainBreaks.TailRemoved,
                $"the chain's head names entry {head.Seq}, but entry {latest.Seq} was checkpointed at {latest.At:O}: entries {head.Seq + 1} to {latest.Seq} (at least) were removed");
        }
        else
        {
            result = await WalkAsync(connection, head, anchor, genuine, cancellationToken);
            if (!result.Ok && anchor is not null && result.Code == AuditChainBreaks.CheckpointMismatch)
            {
                // The rewrite is before the latest checkpoint: a full walk names the first checkpoint it broke.
                result = await WalkAsync(connection, head, null, genuine, cancellationToken);
            }
        }
        AuditTelemetry.Verified(result);
        return result with { Checkpoint = latest is null ? null : new AuditCheckpointView(latest.Seq, latest.At, latest.Hash, latest.Node, latest.KeyId), Full = full || anchor is null };
    }

    private static async Task<AuditVerification> WalkAsync(DbConnection connection, (long Seq, string Hash) head, AuditCheckpoint? anchor,
        IReadOnlyList<AuditCheckpoint> genuine, CancellationToken cancellationToken)
    {
        var signed = genuine.GroupBy(c => c.Seq).ToDictionary(g => g.Key, g => g.ToList());
        var from = anchor?.Seq ?? 0;
        var previous = anchor?.Hash ?? AuditLog.Genesis;
        if (anchor is not null)
        {
            var stored = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT hash FROM audit_log WHERE seq = @Seq", new { anchor.Seq }, cancellationToken: cancellationToken));
            if (stored is null)
            {
                return Broken(previous, anchor.Seq, AuditChainBreaks.EntryMissing, $"entry {anchor.Seq}, checkpointed at {anchor.At:O}, is missing");
            }
            if (stored != anchor.Hash)
            {
                return Broken(previous, anchor.Seq, AuditChainBreaks.CheckpointMismatch, $"entry {anchor.Seq} is not the entry checkpointed at {anchor.At:O}: the chain up to it was rewritten");
            }
        }
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {AuditLog.Columns} FROM audit_log WHERE seq > @from AND seq <= @head ORDER BY seq", new { from, head = head.Seq }, cancellationToken: cancellationToken));
        var parser = reader.GetRowParser<AuditRow>();
        var expected = from + 1;
        var holds = anchor?.Seq ?? 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = parser(reader);
            if (row.Seq != expected)
            {
                return Broken(previous, expected, AuditChainBreaks.EntryMissing, $"entry {expected} is missing (found {row.Seq} next)");
            }
            if (row.PrevHash != previous)
            {
                return Broken(previous, row.Seq, AuditChainBreaks.LinkBroken, $"entry {row.Seq} does not link to the entry before it");
            }
            if (row.ComputeHash() != row.Hash)
            {
                return Broken(previous, row.Seq, AuditChainBreaks.EntryAltered, $"entry {row.Seq} was altered: its content does not match its hash");
            }
            if (signed.TryGetValue(row.Seq, out var at))
            {
                if (at.Find(c => c.Hash != row.Hash) is { } mismatch)
                {
                    return Broken(previous, row.Seq, AuditChainBreaks.CheckpointMismatch,
                        $"entry {row.Seq} is not the entry checkpointed at {mismatch.At:O}: entries after {holds} (the last checkpoint that holds) up to entry {row.Seq} were rewritten");
                }
                holds = row.Seq;
            }
            previous = row.Hash;
            expected++;
        }
        var last = expected - 1;
        if (last != head.Seq)
        {
            return Broken(previous, expected, AuditChainBreaks.EntryMissing, $"the chain ends at entry {last} but its head names entry {head.Seq}: entries were removed");
        }
        if (head.Hash != previous)
        {
            return Broken(previous, head.Seq, AuditChainBreaks.HeadMismatch, $"the chain's head does not name entry {head.Seq} as it is stored");
        }
        return new AuditVerification(true, head.Seq, previous, null, null) { From = from + 1 };
    }

    private static AuditVerification Broken(string head, long? at, string code, string problem) =>
        new(false, Math.Max(0, (at ?? 1) - 1), head, at, problem) { Code = code };
}
