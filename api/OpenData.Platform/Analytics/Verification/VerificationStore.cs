using System.Collections.Concurrent;
using Dapper;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;
using OpenData.Platform.Webhooks;

namespace OpenData.Platform.Analytics.Verification;

/// <summary>The SQL of verifications: their definitions, the day's counts per caller, and the one lookup per record.</summary>
internal sealed class VerificationStore(Database database, Audit.AuditLog audit, WebhookOutbox outbox)
{
    /// <summary>Candidate rows read per record: enough for a key repeated over a few rows, never a scan.</summary>
    public const int Candidates = 16;

    private readonly ConcurrentDictionary<string, bool> _indexed = new(StringComparer.Ordinal);

    internal sealed class DefinitionRow
    {
        public long DatasetKey { get; set; }
        public string DatasetId { get; set; } = "";
        public string OwnerId { get; set; } = "";
        public string Keys { get; set; } = "";
        public string Answer { get; set; } = "";
        public DateTimeOffset UpdatedAt { get; set; }
        public string UpdatedBy { get; set; } = "";
    }

    public async Task<DefinitionRow?> FindAsync(long datasetKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DefinitionRow>(new CommandDefinition(
            "SELECT dataset_key, dataset_id, owner_id, keys, answer, updated_at, updated_by FROM verifications WHERE dataset_key = @datasetKey",
            new { datasetKey }, cancellationToken: cancellationToken));
    }

    /// <summary>Defines (or redefines) a dataset's verification, with its audit entry in the same transaction.</summary>
    public async Task SaveAsync(DefinitionRow row, Audit.AuditEvent entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO verifications (dataset_key, dataset_id, owner_id, keys, answer, updated_at, updated_by)
            VALUES (@DatasetKey, @DatasetId, @OwnerId, @Keys, @Answer, @UpdatedAt, @UpdatedBy)
            ON CONFLICT (dataset_key) DO UPDATE SET keys = excluded.keys, answer = excluded.answer, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, row, transaction, cancellationToken: cancellationToken));
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The no_match answers a tenant got today on a dataset.</summary>
    public async Task<long> NoMatchesAsync(string tenant, long datasetKey, string day, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT no_matches FROM verification_days WHERE tenant_id = @tenant AND dataset_key = @datasetKey AND day = @day",
            new { tenant, datasetKey, day }, cancellationToken: cancellationToken)) ?? 0;
    }

    /// <summary>Counts a call (records, matches, no_matches) and returns the day's no_matches after it.</summary>
    public async Task<long> CountAsync(string tenant, long datasetKey, string day, int records, int matches, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO verification_days (tenant_id, dataset_key, day, calls, records, matches, no_matches)
            VALUES (@tenant, @datasetKey, @day, 1, @records, @matches, @noMatches)
            ON CONFLICT (tenant_id, dataset_key, day) DO UPDATE SET calls = verification_days.calls + 1, records = verification_days.records + excluded.records,
                matches = verification_days.matches + excluded.matches, no_matches = verification_days.no_matches + excluded.no_matches
            RETURNING no_matches
            """, new { tenant, datasetKey, day, records, matches, noMatches = records - matches }, cancellationToken: cancellationToken));
    }

    /// <summary>Appends a call's audit entry (counts only).</summary>
    public Task AuditAsync(Audit.AuditEvent entry, CancellationToken cancellationToken) => audit.AppendAsync(entry, cancellationToken);

    /// <summary>
    /// Alerts the owner once per tenant, dataset and day that the no_match limit was reached: the day is marked, the owner's
    /// webhooks get <c>verify.enumeration_suspected</c> and the audit an entry, in one transaction. False when alerted already.
    /// </summary>
    public async Task<bool> AlertAsync(string tenant, long datasetKey, string day, DateTimeOffset at, string ownerId, object data, Audit.AuditEvent entry,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var marked = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE verification_days SET alerted_at = @at WHERE tenant_id = @tenant AND dataset_key = @datasetKey AND day = @day AND alerted_at IS NULL",
            new { tenant, datasetKey, day, at }, transaction, cancellationToken: cancellationToken));
        if (marked == 0)
        {
            return false;
        }
        await outbox.EnqueueAsync(connection, transaction, ownerId, WebhookEvents.EnumerationSuspected, data, cancellationToken);
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// An index on the first key column of a version table, so each record is one index lookup (made once per table; a new
    /// version gets it on its first verification call). The index holds the stored values, as the table does.
    /// </summary>
    public async Task EnsureIndexAsync(DatasetVersionTable table, ColumnDefinition key, CancellationToken cancellationToken)
    {
        var name = $"{table.TableName}_v{key.Position}";
        if (_indexed.ContainsKey(name))
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"CREATE INDEX IF NOT EXISTS {database.Dialect.Quote(name)} ON {database.Dialect.Quote(table.TableName)} ({key.PhysicalName})",
            cancellationToken: cancellationToken));
        _indexed[name] = true;
    }

    /// <summary>
    /// One lookup per record, the first key's normal form bound as a parameter; the candidates' key cells as stored. Every record
    /// is looked up, found or not, in one connection.
    /// </summary>
    public async Task<List<List<object?[]>>> LookUpAsync(DatasetVersionTable table, IReadOnlyList<ColumnDefinition> keys, IReadOnlyList<object?> firstKeys,
        CancellationToken cancellationToken)
    {
        var sql = $"SELECT {string.Join(", ", keys.Select(k => k.PhysicalName))} FROM {database.Dialect.Quote(table.TableName)} WHERE {keys[0].PhysicalName} = @value LIMIT {Candidates}";
        var found = new List<List<object?[]>>(firstKeys.Count);
        await using var connection = await database.OpenForCallerQueryAsync(cancellationToken);
        foreach (var value in firstKeys)
        {
            var rows = new List<object?[]>();
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, new { value }, cancellationToken: cancellationToken));
            while (await reader.ReadAsync(cancellationToken))
            {
                var cells = new object?[keys.Count];
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = database.Dialect.ReadCell(reader, i, keys[i].Type);
                }
                rows.Add(cells);
            }
            found.Add(rows);
        }
        return found;
    }
}
