using Dapper;
using OpenData.Platform.Storage;
using OpenData.Platform.Webhooks;

namespace OpenData.Platform.Analytics.Jobs;

/// <summary>The SQL of analysis jobs: submission, the lease a node takes to run one, the checked outputs, and the owner's decision, each with its audit entry.</summary>
internal sealed class AnalysisJobStore(Database database, Audit.AuditLog audit, WebhookOutbox outbox)
{
    internal sealed class JobRow
    {
        public string Id { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string Requester { get; set; } = "";
        public string DatasetId { get; set; } = "";
        public string OwnerId { get; set; } = "";
        public string Queries { get; set; } = "";
        public string Status { get; set; } = "";
        public string? Failure { get; set; }
        public string? Outputs { get; set; }
        public string? Withheld { get; set; }
        public string? DecisionReason { get; set; }
        public string? DecidedBy { get; set; }
        public DateTimeOffset? DecidedAt { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }
    }

    private const string Columns = "id, tenant_id, requester, dataset_id, owner_id, queries, status, failure, outputs, withheld, decision_reason, decided_by, decided_at, created_at, updated_at";

    public async Task InsertAsync(JobRow row, Audit.AuditEvent entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO analysis_jobs (id, tenant_id, requester, dataset_id, owner_id, queries, status, created_at, updated_at)
            VALUES (@Id, @TenantId, @Requester, @DatasetId, @OwnerId, @Queries, @Status, @CreatedAt, @UpdatedAt)
            """, row, transaction, cancellationToken: cancellationToken));
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<JobRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {Columns} FROM analysis_jobs WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The jobs a tenant submitted, or (reviewer) the jobs on the datasets it owns; newest first.</summary>
    public async Task<IReadOnlyList<JobRow>> ListAsync(string tenant, bool reviewer, string? status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var who = reviewer ? "owner_id" : "tenant_id";
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(
            $"SELECT {Columns} FROM analysis_jobs WHERE {who} = @tenant AND (@status IS NULL OR status = @status) ORDER BY created_at DESC, id LIMIT 200",
            new { tenant, status }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>The oldest queued job, or a running one whose lease ran out (its node died).</summary>
    public async Task<IReadOnlyList<string>> RunnableAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM analysis_jobs WHERE status = 'queued' OR (status = 'running' AND lease_until < @now) ORDER BY created_at, id LIMIT 10",
            new { now }, cancellationToken: cancellationToken));
        return ids.AsList();
    }

    /// <summary>Takes the lease on a job for one node: true for exactly one node, whatever the others do at the same time.</summary>
    public async Task<bool> LeaseAsync(string id, string node, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE analysis_jobs SET status = 'running', lease_owner = @node, lease_until = @until, updated_at = @now
            WHERE id = @id AND (status = 'queued' OR (status = 'running' AND lease_until < @now))
            """, new { id, node, now, until }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Stores the checked outputs (awaiting_review) or the failure, if this node still holds the lease; with the audit entry.</summary>
    public async Task<bool> FinishAsync(string id, string node, string status, string? outputs, string? failure, DateTimeOffset now, Audit.AuditEvent entry,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE analysis_jobs SET status = @status, outputs = @outputs, failure = @failure, lease_owner = NULL, lease_until = NULL, updated_at = @now
            WHERE id = @id AND status = 'running' AND lease_owner = @node
            """, new { id, node, status, outputs, failure, now }, transaction, cancellationToken: cancellationToken));
        if (changed != 1)
        {
            return false;
        }
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Records the owner's decision once: false when the job was not awaiting review (decided already, or not checked yet).</summary>
    public async Task<bool> DecideAsync(string id, string status, string reason, string? withheld, string decidedBy, DateTimeOffset now, Audit.AuditEvent entry,
        string requesterTenant, object webhook, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE analysis_jobs SET status = @status, decision_reason = @reason, withheld = @withheld, decided_by = @decidedBy, decided_at = @now, updated_at = @now
            WHERE id = @id AND status = 'awaiting_review'
            """, new { id, status, reason, withheld, decidedBy, now }, transaction, cancellationToken: cancellationToken));
        if (changed != 1)
        {
            return false;
        }
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await outbox.EnqueueAsync(connection, transaction, requesterTenant, WebhookEvents.AnalysisJobDecided, webhook, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
