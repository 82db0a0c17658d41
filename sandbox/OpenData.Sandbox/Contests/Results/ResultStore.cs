using System.Data.Common;
using Dapper;
using OpenData.Platform.Storage;
using OpenData.Platform.Webhooks;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// The SQL of <c>contest_results</c>. The results are written in the transaction that marks the contest published (see
/// <see cref="ContestStore.UpdateAsync"/>), with the notice to each team's tenant.
/// </summary>
internal sealed class ResultStore(Database database, WebhookOutbox outbox)
{
    private const string Columns = "contest_id, team_id, rank, score, judges, award";

    /// <summary>Freezes the standings and queues the notices, inside the publication's transaction.</summary>
    public async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ResultRow> results, IReadOnlyList<TeamStore.Notice> notices,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(notices);
        foreach (var result in results)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO contest_results ({Columns}) VALUES (@ContestId, @TeamId, @Rank, @Score, @Judges, @Award)", result, transaction,
                cancellationToken: cancellationToken));
        }
        foreach (var notice in notices)
        {
            await outbox.EnqueueAsync(connection, transaction, notice.Tenant, notice.Event, notice.Data, cancellationToken);
        }
    }

    /// <summary>The frozen results of a contest.</summary>
    public async Task<IReadOnlyList<ResultRow>> ListAsync(string contestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ResultRow>(new CommandDefinition(
            $"SELECT {Columns} FROM contest_results WHERE contest_id = @contestId", new { contestId }, cancellationToken: cancellationToken))).AsList();
    }
}
