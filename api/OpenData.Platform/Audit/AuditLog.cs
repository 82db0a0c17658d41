using System.Data.Common;
using System.Text.Json;
using Dapper;
using Npgsql;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Audit;

/// <summary>
/// The append-only, hash-chained audit trail. An entry joins the chain inside the writer's own transaction where there is one
/// (an access request's transition and its audit entry commit together), after locking the chain's head row so entries join
/// one at a time across nodes. On PostgreSQL (and SQLite) triggers refuse UPDATE and DELETE of entries.
/// </summary>
public sealed class AuditLog(Database database, TimeProvider clock)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    internal const string Columns = "seq, at, type, actor_tenant, actor_app, dataset_id, owner_id, subject, details, prev_hash, hash";

    public async Task AppendAsync(AuditEvent e, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await AppendAsync(connection, transaction, e, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task AppendAsync(DbConnection connection, DbTransaction transaction, AuditEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        var lockHead = connection is NpgsqlConnection ? " FOR UPDATE" : "";
        var head = await connection.QuerySingleAsync<(long Seq, string Hash)>(new CommandDefinition(
            "SELECT seq, hash FROM audit_head WHERE id = 1" + lockHead, transaction: transaction, cancellationToken: cancellationToken));
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
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO audit_log ({Columns}) VALUES (@Seq, @At, @Type, @ActorTenant, @ActorApp, @DatasetId, @OwnerId, @Subject, @Details, @PrevHash, @Hash)",
            row, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_head SET seq = @Seq, hash = @Hash WHERE id = 1", row, transaction, cancellationToken: cancellationToken));
    }
}
