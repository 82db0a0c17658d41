using Dapper;
using OpenData.Platform.Audit;
using OpenData.Platform.Storage;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// The SQL of <c>contest_judges</c> and <c>contest_scores</c>. Every change is written with its audit entry in one transaction;
/// a judge removed takes their scorecards along.
/// </summary>
internal sealed class JudgingStore(Database database, AuditLog audit)
{
    private const string JudgeColumns = "contest_id, member_id, tenant_id, email, teams, added_by, added_at";

    private const string ScoreColumns = "contest_id, team_id, member_id, scores, comment, scored_at";

    public async Task<IReadOnlyList<JudgeRow>> JudgesAsync(string contestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<JudgeRow>(new CommandDefinition(
            $"SELECT {JudgeColumns} FROM contest_judges WHERE contest_id = @contestId ORDER BY email, member_id", new { contestId },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The ids of the contests whose panel the person sits on.</summary>
    public async Task<IReadOnlyList<string>> ContestsOfAsync(string memberId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT contest_id FROM contest_judges WHERE member_id = @memberId ORDER BY contest_id", new { memberId }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<JudgeRow?> JudgeAsync(string contestId, string memberId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JudgeRow>(new CommandDefinition(
            $"SELECT {JudgeColumns} FROM contest_judges WHERE contest_id = @contestId AND member_id = @memberId", new { contestId, memberId },
            cancellationToken: cancellationToken));
    }

    /// <summary>Names a judge, or changes the teams of one named already; true when the judge is new.</summary>
    public async Task<bool> SaveJudgeAsync(JudgeRow judge, AuditEvent created, AuditEvent changed, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO contest_judges ({JudgeColumns}) VALUES (@ContestId, @MemberId, @TenantId, @Email, @Teams, @AddedBy, @AddedAt) "
            + "ON CONFLICT (contest_id, member_id) DO NOTHING", judge, transaction, cancellationToken: cancellationToken)) == 1;
        if (!inserted)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE contest_judges SET teams = @Teams WHERE contest_id = @ContestId AND member_id = @MemberId", judge, transaction,
                cancellationToken: cancellationToken));
        }
        await audit.AppendAsync(connection, transaction, inserted ? created : changed, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    /// <summary>Removes a judge and their scorecards; answers how many scorecards went, or null when there was no such judge.</summary>
    public async Task<int?> RemoveJudgeAsync(string contestId, string memberId, Func<int, AuditEvent> entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM contest_judges WHERE contest_id = @contestId AND member_id = @memberId", new { contestId, memberId }, transaction,
            cancellationToken: cancellationToken)) == 0)
        {
            return null;
        }
        var scores = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM contest_scores WHERE contest_id = @contestId AND member_id = @memberId", new { contestId, memberId }, transaction,
            cancellationToken: cancellationToken));
        await audit.AppendAsync(connection, transaction, entry(scores), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return scores;
    }

    /// <summary>Every scorecard of the contest.</summary>
    public async Task<IReadOnlyList<ScoreRow>> ScoresAsync(string contestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ScoreRow>(new CommandDefinition(
            $"SELECT {ScoreColumns} FROM contest_scores WHERE contest_id = @contestId ORDER BY team_id, member_id", new { contestId },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>One judge's scorecards in the contest.</summary>
    public async Task<IReadOnlyList<ScoreRow>> ScoresOfAsync(string contestId, string memberId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ScoreRow>(new CommandDefinition(
            $"SELECT {ScoreColumns} FROM contest_scores WHERE contest_id = @contestId AND member_id = @memberId", new { contestId, memberId },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Writes a judge's scorecard for an entry, replacing theirs if there is one, with the audit entry built from the scorecard
    /// it replaced (null when none); answers that one.
    /// </summary>
    public async Task<ScoreRow?> SaveScoreAsync(ScoreRow score, Func<ScoreRow?, AuditEvent> entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.QuerySingleOrDefaultAsync<ScoreRow>(new CommandDefinition(
            $"SELECT {ScoreColumns} FROM contest_scores WHERE contest_id = @ContestId AND team_id = @TeamId AND member_id = @MemberId", score, transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO contest_scores ({ScoreColumns}) VALUES (@ContestId, @TeamId, @MemberId, @Scores, @Comment, @ScoredAt)
            ON CONFLICT (contest_id, team_id, member_id) DO UPDATE SET scores = excluded.scores, comment = excluded.comment, scored_at = excluded.scored_at
            """, score, transaction, cancellationToken: cancellationToken));
        await audit.AppendAsync(connection, transaction, entry(before), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return before;
    }
}
