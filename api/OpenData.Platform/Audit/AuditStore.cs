using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Audit;

/// <summary>
/// Which entries a reader asks for: after <see cref="After"/> (a sequence number), on a dataset, of a type, between two instants;
/// <see cref="Tenant"/>, when set, keeps to entries on that tenant's datasets or of its own actions (null: every entry).
/// </summary>
internal sealed record AuditFilter(long After, string? Tenant, string? DatasetId, string? Type, DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>Only the actions of this tenant (who read, who decided), within what <see cref="Tenant"/> lets the reader see.</summary>
    public string? Actor { get; init; }

    /// <summary>Newest first, from the entry before this sequence number (<see cref="long.MaxValue"/>: from the head); null: chain order after <see cref="After"/>.</summary>
    public long? Before { get; init; }
}

/// <summary>
/// The SQL that reads <c>audit_log</c> for its readers (the chain is written by <see cref="AuditLog"/> and walked by
/// <see cref="AuditVerifier"/>): a page, or every entry streamed.
/// </summary>
internal sealed class AuditStore(Database database)
{
    /// <summary>At most <paramref name="fetch"/> entries of the filter, in chain order.</summary>
    public async Task<List<AuditRow>> PageAsync(AuditFilter filter, int fetch, CancellationToken cancellationToken)
    {
        var (sql, parameters) = Select(filter, fetch);
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Every entry of the filter in chain order; the query has run when this returns, so a store that fails does so before anything is written.</summary>
    public async Task<AuditRowStream> StreamAsync(AuditFilter filter, CancellationToken cancellationToken)
    {
        var (sql, parameters) = Select(filter, null);
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
            return new AuditRowStream(connection, reader);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static (string Sql, object Parameters) Select(AuditFilter filter, int? fetch)
    {
        var where = new List<string> { filter.Before is null ? "seq > @after" : "seq < @before" };
        if (filter.Tenant is not null)
        {
            where.Add("(owner_id = @tenant OR actor_tenant = @tenant)");
        }
        if (filter.DatasetId is not null)
        {
            where.Add("dataset_id = @datasetId");
        }
        if (filter.Actor is not null)
        {
            where.Add("actor_tenant = @actor");
        }
        if (filter.Type is not null)
        {
            where.Add("type = @type");
        }
        if (filter.From is not null)
        {
            where.Add("at >= @fromAt");
        }
        if (filter.To is not null)
        {
            where.Add("at <= @toAt");
        }
        var sql = $"SELECT {AuditLog.Columns} FROM audit_log WHERE {string.Join(" AND ", where)} ORDER BY seq" + (filter.Before is null ? "" : " DESC") + (fetch is null ? "" : " LIMIT @fetch");
        return (sql, new
        {
            after = filter.After, before = filter.Before ?? 0, actor = filter.Actor ?? "", tenant = filter.Tenant ?? "", datasetId = filter.DatasetId, type = filter.Type, fromAt = filter.From, toAt = filter.To,
            fetch = fetch ?? 0,
        });
    }
}

/// <summary>Entries read one at a time from a query that has run; disposing it closes the reader and its connection.</summary>
internal sealed class AuditRowStream(DbConnection connection, DbDataReader reader) : IAsyncDisposable
{
    public async IAsyncEnumerable<AuditRow> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parser = reader.GetRowParser<AuditRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return parser(reader);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await connection.DisposeAsync();
    }
}
