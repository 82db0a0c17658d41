using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Audit;

/// <summary>
/// The append-only, hash-chained audit trail. An entry joins the chain inside the writer's own transaction where there is one
/// (an access request's transition and its audit entry commit together), after locking the chain's head row so entries join
/// one at a time across nodes. On PostgreSQL (and SQLite) triggers refuse UPDATE and DELETE of entries.
/// Entries without a transaction of their own (reads of restricted data, masked leaks, app changes) are appended by group
/// commit: callers queue them and wait; one writer takes everything queued, chains it in one transaction under one lock of
/// the head, commits, and only then lets the callers go on. So no answer leaves before its entry is committed, and a busy
/// read path pays one commit per batch instead of one per request.
/// </summary>
internal sealed class AuditLog(Database database, TimeProvider clock) : IAsyncDisposable
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    internal const string Columns = "seq, at, type, actor_tenant, actor_app, dataset_id, owner_id, subject, details, prev_hash, hash";

    /// <summary>The most entries one commit takes; more wait for the next.</summary>
    private const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private Task? _writer;

    // The head as this node's writer last left it (only the writer reads or sets it); when anyone else moved it since, the
    // one-statement append finds out and reads it again.
    private (long Seq, string Hash)? _head;

    private long _appended;

    /// <summary>Entries this node has added to the chain since it started (the checkpoints' cadence counts them).</summary>
    public long Appended => Interlocked.Read(ref _appended);

    public Task AppendAsync(AuditEvent e, CancellationToken cancellationToken) => AppendAsync([e], cancellationToken);

    /// <summary>Appends entries in this order and returns once they are committed (with whatever else was queued with them).</summary>
    public async Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }
        var pending = new Pending(events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(AuditLog), "the audit trail is closed: the host is stopping");
        }
        EnsureWriter();
        using var span = Common.PlatformTelemetry.Source.StartActivity("audit.append");
        var startedAt = Stopwatch.GetTimestamp();
        // The entry is queued: it will be committed even if this caller gives up waiting.
        await pending.Committed.Task.WaitAsync(cancellationToken);
        AuditTelemetry.AppendDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
    }

    private void EnsureWriter()
    {
        lock (_gate)
        {
            _writer ??= Task.Run(WriteAsync);
        }
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var entries = 0;
            while (entries < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                entries += next.Events.Count;
            }
            try
            {
                var events = batch.SelectMany(p => p.Events).ToList();
                await using (var connection = await database.OpenAsync(CancellationToken.None))
                {
                    if (connection is not NpgsqlConnection npgsql || !await TryAppendInOneStatementAsync(npgsql, events))
                    {
                        await using var transaction = await connection.BeginTransactionAsync();
                        var head = await LockHeadAsync(connection, transaction, CancellationToken.None);
                        foreach (var e in events)
                        {
                            head = await InsertAsync(connection, transaction, head, e, CancellationToken.None);
                        }
                        await SetHeadAsync(connection, transaction, head, CancellationToken.None);
                        await transaction.CommitAsync();
                    }
                }
                Interlocked.Add(ref _appended, events.Count);
                AuditTelemetry.BatchSize.Record(events.Count);
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetResult();
                }
            }
            catch (Exception e)
            {
                // Nothing of the batch is known to be committed: every caller in it fails, none is answered as if audited; the writer
                // goes on. (A commit whose answer was lost leaves entries without an answer, never an answer without an entry.)
                database.ReportFailure(e);
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetException(e);
                }
            }
        }
    }

    /// <summary>
    /// PostgreSQL: the batch joins the chain in one statement, one round trip and one commit: the head moves from the value this
    /// writer last saw to the batch's last entry only if no one else moved it meanwhile, and the entries are inserted only if it
    /// did (a data-modifying CTE is all or nothing). Another writer in between (another node, an access transition) leaves the
    /// statement without effect; the head is read again and the batch re-chained, a few times, before falling back to the lock.
    /// The entries travel as one array a column, so the statement's text is the same for every batch size and is prepared once
    /// a connection: the database neither parses nor plans it again, and the host binds eleven parameters, not eleven an entry.
    /// </summary>
    private async Task<bool> TryAppendInOneStatementAsync(NpgsqlConnection connection, List<AuditEvent> events)
    {
        await using var command = new NpgsqlCommand(
            $"""
            WITH head AS (
                UPDATE audit_head SET seq = $3, hash = $4 WHERE id = 1 AND seq = $1 AND hash = $2 RETURNING 1)
            INSERT INTO audit_log ({Columns})
            SELECT * FROM unnest($5::bigint[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                $13::text[], $14::text[], $15::text[])
            WHERE EXISTS (SELECT 1 FROM head)
            """, connection);
        var seq = new long[events.Count];
        var at = new DateTime[events.Count];
        var text = new string?[9][];
        for (var c = 0; c < text.Length; c++)
        {
            text[c] = new string?[events.Count];
        }
        command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = seq });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, TypedValue = at });
        foreach (var column in text)
        {
            command.Parameters.Add(new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = column });
        }
        await command.PrepareAsync();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var head = _head ?? await connection.QuerySingleAsync<(long Seq, string Hash)>("SELECT seq, hash FROM audit_head WHERE id = 1");
            var last = head;
            for (var i = 0; i < events.Count; i++)
            {
                var r = Chain(last, events[i]);
                seq[i] = r.Seq;
                at[i] = r.At.UtcDateTime;
                text[0][i] = r.Type;
                text[1][i] = r.ActorTenant;
                text[2][i] = r.ActorApp;
                text[3][i] = r.DatasetId;
                text[4][i] = r.OwnerId;
                text[5][i] = r.Subject;
                text[6][i] = r.Details;
                text[7][i] = r.PrevHash;
                text[8][i] = r.Hash;
                last = (r.Seq, r.Hash);
            }
            ((NpgsqlParameter<long>)command.Parameters[0]).TypedValue = head.Seq;
            ((NpgsqlParameter<string>)command.Parameters[1]).TypedValue = head.Hash;
            ((NpgsqlParameter<long>)command.Parameters[2]).TypedValue = last.Seq;
            ((NpgsqlParameter<string>)command.Parameters[3]).TypedValue = last.Hash;
            if (await command.ExecuteNonQueryAsync() == events.Count)
            {
                _head = last;
                return true;
            }
            _head = null;
        }
        return false;
    }

    /// <summary>Stops taking entries, commits what is queued, and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? writer;
        lock (_gate)
        {
            writer = _writer;
        }
        if (writer is not null)
        {
            await writer;
        }
    }

    public async Task AppendAsync(DbConnection connection, DbTransaction transaction, AuditEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        var head = await LockHeadAsync(connection, transaction, cancellationToken);
        head = await InsertAsync(connection, transaction, head, e, cancellationToken);
        await SetHeadAsync(connection, transaction, head, cancellationToken);
        // Counted before the caller commits: a hint for the checkpoints' cadence, which reads the committed head anyway.
        Interlocked.Increment(ref _appended);
    }

    private static Task<(long Seq, string Hash)> LockHeadAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var lockHead = connection is NpgsqlConnection ? " FOR UPDATE" : "";
        return connection.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition(
            "SELECT seq, hash FROM audit_head WHERE id = 1" + lockHead, transaction: transaction, cancellationToken: cancellationToken));
    }

    private static Task<int> SetHeadAsync(DbConnection connection, DbTransaction transaction, (long Seq, string Hash) head, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_head SET seq = @Seq, hash = @Hash WHERE id = 1", new { head.Seq, head.Hash }, transaction, cancellationToken: cancellationToken));

    private async Task<(long Seq, string Hash)> InsertAsync(DbConnection connection, DbTransaction transaction, (long Seq, string Hash) head, AuditEvent e,
        CancellationToken cancellationToken)
    {
        var row = Chain(head, e);
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO audit_log ({Columns}) VALUES (@Seq, @At, @Type, @ActorTenant, @ActorApp, @DatasetId, @OwnerId, @Subject, @Details, @PrevHash, @Hash)",
            row, transaction, cancellationToken: cancellationToken));
        return (row.Seq, row.Hash);
    }

    /// <summary>The entry that follows <paramref name="head"/> in the chain.</summary>
    private AuditRow Chain((long Seq, string Hash) head, AuditEvent e)
    {
        var row = new AuditRow
        {
            Seq = head.Seq + 1,
            At = clock.GetUtcNow(),
            Type = e.Type,
            ActorTenant = e.ActorTenant,
            ActorApp = e.ActorApp,
            DatasetId = e.DatasetId,
            OwnerId = e.OwnerId,
            Subject = e.Subject,
            Details = JsonSerializer.Serialize(e.Details),
            PrevHash = head.Hash,
        };
        // Round the instant to what both stores keep (microseconds on PostgreSQL), so the hash is computed over what is read back.
        row.At = new DateTimeOffset(row.At.UtcTicks - (row.At.UtcTicks % 10), TimeSpan.Zero);
        row.Hash = row.ComputeHash();
        return row;
    }

    private sealed record Pending(IReadOnlyList<AuditEvent> Events, TaskCompletionSource Committed);
}
