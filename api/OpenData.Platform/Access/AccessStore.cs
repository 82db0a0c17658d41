using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Access;

/// <summary>The SQL of access requests, their history and grants. Every transition is a compare-and-set on the request's version.</summary>
internal sealed class AccessStore(Database database, Audit.AuditLog audit, Webhooks.WebhookOutbox outbox)
{
    private const string RequestColumns =
        "id, dataset_key, dataset_id, owner_id, requester_id, app_id, columns, linkage, purpose, kind, duration_days, status, platform_review, approved_columns, approved_linkage, approved_expires_at, grant_id, version, created_at, updated_at";

    private const string GrantColumns =
        "id, request_id, tenant_id, dataset_key, dataset_id, owner_id, app_id, columns, linkage, purpose, kind, created_at, expires_at, revoked_at, revoked_by, revoke_reason";

    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    /// <summary>Whether the requester has an open request of this kind for the dataset (one of each kind may be open at once).</summary>
    public async Task<bool> HasOpenRequestAsync(string requester, long datasetKey, string kind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await HasOpenRequestAsync(connection, requester, datasetKey, kind, cancellationToken);
    }

    private static async Task<bool> HasOpenRequestAsync(DbConnection connection, string requester, long datasetKey, string kind, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM access_requests WHERE requester_id = @requester AND dataset_key = @datasetKey AND kind = @kind AND status IN (@a, @b, @c)",
            new { requester, datasetKey, kind, a = AccessWorkflow.Submitted, b = AccessWorkflow.OwnerApproved, c = AccessWorkflow.ChangesRequested },
            cancellationToken: cancellationToken)) > 0;

    /// <summary>A webhook event to send to a tenant, written in the same transaction as the change it tells of.</summary>
    public sealed record Notice(string Tenant, string Event, object Data);

    public async Task InsertAsync(AccessRequestRow row, AccessEventRow first, Audit.AuditEvent entry, Notice? notice, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO access_requests ({RequestColumns}) VALUES (@Id, @DatasetKey, @DatasetId, @OwnerId, @RequesterId, @AppId, @Columns, @Linkage, @Purpose, @Kind, @DurationDays, @Status, @PlatformReview, @ApprovedColumns, @ApprovedLinkage, @ApprovedExpiresAt, @GrantId, @Version, @CreatedAt, @UpdatedAt)",
            row, transaction, cancellationToken: cancellationToken));
        await InsertEventAsync(connection, transaction, first, cancellationToken);
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        if (notice is not null)
        {
            await outbox.EnqueueAsync(connection, transaction, notice.Tenant, notice.Event, notice.Data, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<AccessRequestRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AccessRequestRow>(new CommandDefinition(
            $"SELECT {RequestColumns} FROM access_requests WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Requests of a requester and/or an owner (either side when both are given; all when neither), newest first. Drafts are
    /// their requester's alone: only those of <paramref name="draftsOf"/> are among them.
    /// </summary>
    public async Task<List<AccessRequestRow>> ListAsync(string? requester, string? owner, string? status, string? draftsOf, CancellationToken cancellationToken)
    {
        var where = new List<string> { "(status <> @draft OR requester_id = @draftsOf)" };
        if (requester is not null && owner is not null)
        {
            where.Add("(requester_id = @requester OR owner_id = @owner)");
        }
        else if (requester is not null)
        {
            where.Add("requester_id = @requester");
        }
        else if (owner is not null)
        {
            where.Add("owner_id = @owner");
        }
        if (status is not null)
        {
            where.Add("status = @status");
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AccessRequestRow>(new CommandDefinition(
            $"SELECT {RequestColumns} FROM access_requests WHERE {string.Join(" AND ", where)} ORDER BY created_at DESC, id LIMIT 500",
            new { requester, owner, status, draft = AccessWorkflow.Draft, draftsOf = draftsOf ?? "" }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>A requester's requests made for one of its apps (by client id), drafts included, newest first.</summary>
    public async Task<List<AccessRequestRow>> OfAppAsync(string requester, string appId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AccessRequestRow>(new CommandDefinition(
            $"SELECT {RequestColumns} FROM access_requests WHERE requester_id = @requester AND app_id = @appId ORDER BY created_at DESC, id LIMIT 500",
            new { requester, appId }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>How many requests on an owner's datasets (null: anyone's) are in one status (the console's inbox count), without reading them.</summary>
    public async Task<int> CountAsync(string? owner, string status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            owner is null
                ? "SELECT COUNT(*) FROM access_requests WHERE status = @status"
                : "SELECT COUNT(*) FROM access_requests WHERE owner_id = @owner AND status = @status",
            new { owner, status }, cancellationToken: cancellationToken));
    }

    /// <summary>The status and last change of every request in one of <paramref name="statuses"/> (no other column is read).</summary>
    public async Task<List<AccessRequestRow>> WaitingAsync(IReadOnlyCollection<string> statuses, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        var names = SqlList.In(parameters, "s", statuses);
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AccessRequestRow>(new CommandDefinition(
            $"SELECT status, updated_at FROM access_requests WHERE status IN {names}", parameters, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<List<AccessEventRow>> EventsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var parameters = new DynamicParameters();
        var names = SqlList.In(parameters, "r", ids);
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AccessEventRow>(new CommandDefinition(
            $"SELECT request_id, seq, at, actor, action, from_status, to_status, reason, columns, linkage, expires_at FROM access_request_events WHERE request_id IN {names} ORDER BY request_id, seq",
            parameters, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// Moves a request from the state it was read in, in one transaction with its history entry and, on final approval, the grant.
    /// False when another transition came first (the version moved on): the caller answers 409.
    /// </summary>
    public async Task<bool> TransitionAsync(AccessRequestRow before, AccessRequestRow after, AccessEventRow change, GrantRow? grant, IReadOnlyList<Audit.AuditEvent> entries,
        Notice? notice, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE access_requests SET status = @Status, app_id = @AppId, columns = @Columns, linkage = @Linkage, purpose = @Purpose, duration_days = @DurationDays,
                approved_columns = @ApprovedColumns, approved_linkage = @ApprovedLinkage, approved_expires_at = @ApprovedExpiresAt, grant_id = @GrantId,
                version = version + 1, updated_at = @UpdatedAt
            WHERE id = @Id AND version = @expected
            """,
            new
            {
                after.Status, after.AppId, after.Columns, after.Linkage, after.Purpose, after.DurationDays, after.ApprovedColumns, after.ApprovedLinkage, after.ApprovedExpiresAt,
                after.GrantId, after.UpdatedAt,
                after.Id, expected = before.Version,
            },
            transaction, cancellationToken: cancellationToken));
        if (moved == 0)
        {
            return false;
        }
        change.Seq = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM access_request_events WHERE request_id = @Id", new { after.Id }, transaction, cancellationToken: cancellationToken));
        await InsertEventAsync(connection, transaction, change, cancellationToken);
        if (grant is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO grants ({GrantColumns}) VALUES (@Id, @RequestId, @TenantId, @DatasetKey, @DatasetId, @OwnerId, @AppId, @Columns, @Linkage, @Purpose, @Kind, @CreatedAt, @ExpiresAt, @RevokedAt, @RevokedBy, @RevokeReason)",
                grant, transaction, cancellationToken: cancellationToken));
        }
        foreach (var entry in entries)
        {
            await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        }
        if (notice is not null)
        {
            await outbox.EnqueueAsync(connection, transaction, notice.Tenant, notice.Event, notice.Data, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static Task<int> InsertEventAsync(DbConnection connection, DbTransaction transaction, AccessEventRow e, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO access_request_events (request_id, seq, at, actor, action, from_status, to_status, reason, columns, linkage, expires_at) VALUES (@RequestId, @Seq, @At, @Actor, @Action, @FromStatus, @ToStatus, @Reason, @Columns, @Linkage, @ExpiresAt)",
            e, transaction, cancellationToken: cancellationToken));

    public async Task<List<GrantRow>> GrantsAsync(string? tenant, string? owner, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        if (tenant is not null)
        {
            where.Add("tenant_id = @tenant");
        }
        if (owner is not null)
        {
            where.Add("owner_id = @owner");
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<GrantRow>(new CommandDefinition(
            $"SELECT {GrantColumns} FROM grants{(where.Count > 0 ? " WHERE " + string.Join(" OR ", where) : "")} ORDER BY created_at DESC, id LIMIT 500",
            new { tenant, owner }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<GrantRow?> GrantAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<GrantRow>(new CommandDefinition(
            $"SELECT {GrantColumns} FROM grants WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A tenant's unrevoked grants of one kind for a dataset, latest expiry first (expiry is judged at request time), and whether a
    /// request of that kind is open. The read path asks for <c>records</c> grants only: a <c>verify</c> grant never reads a row.
    /// </summary>
    public async Task<(List<GrantRow> Grants, bool Pending)> ForReadAsync(string tenant, long datasetKey, string kind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var grants = (await connection.QueryAsync<GrantRow>(new CommandDefinition(
            $"SELECT {GrantColumns} FROM grants WHERE tenant_id = @tenant AND dataset_key = @datasetKey AND kind = @kind AND revoked_at IS NULL ORDER BY expires_at DESC",
            new { tenant, datasetKey, kind }, cancellationToken: cancellationToken))).ToList();
        var pending = await HasOpenRequestAsync(connection, tenant, datasetKey, kind, cancellationToken);
        return (grants, pending);
    }

    /// <summary>Revokes an active grant; false when it was revoked already.</summary>
    public async Task<bool> RevokeAsync(string id, string by, string reason, DateTimeOffset at, Audit.AuditEvent entry, Notice notice, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var revoked = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE grants SET revoked_at = @at, revoked_by = @by, revoke_reason = @reason WHERE id = @id AND revoked_at IS NULL",
            new { id, by, reason, at }, transaction, cancellationToken: cancellationToken)) == 1;
        if (revoked)
        {
            await audit.AppendAsync(connection, transaction, entry, cancellationToken);
            await outbox.EnqueueAsync(connection, transaction, notice.Tenant, notice.Event, notice.Data, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return revoked;
    }
}
