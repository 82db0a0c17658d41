using System.Data.Common;
using Dapper;
using OpenData.Platform.Audit;
using OpenData.Platform.Storage;

namespace OpenData.Sandbox.Contests;

/// <summary>The SQL of <c>contests</c>. A change is a compare-and-set on the row's version, committed with its audit entry.</summary>
internal sealed class ContestStore(Database database, AuditLog audit)
{
    internal const string Columns =
        "id, title, title_en, description, description_en, rules, terms_version, tracks, datasets, starts_at, registration_ends_at, submission_ends_at, "
        + "judging_ends_at, ends_at, team_size_limit, visibility, allowed_domains, approval, rubric, created_by, created_at, updated_at, version, "
        + "results_published_at, results_published_by";

    private const string Values =
        "@Id, @Title, @TitleEn, @Description, @DescriptionEn, @Rules, @TermsVersion, @Tracks, @Datasets, @StartsAt, @RegistrationEndsAt, @SubmissionEndsAt, "
        + "@JudgingEndsAt, @EndsAt, @TeamSizeLimit, @Visibility, @AllowedDomains, @Approval, @Rubric, @CreatedBy, @CreatedAt, @UpdatedAt, @Version, "
        + "@ResultsPublishedAt, @ResultsPublishedBy";

    /// <summary>Inserts a new contest with its audit entry; false when the id is taken.</summary>
    public async Task<bool> InsertAsync(ContestRow row, AuditEvent entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO contests ({Columns}) VALUES ({Values}) ON CONFLICT (id) DO NOTHING", row, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return false;
        }
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<ContestRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, id, cancellationToken);
    }

    public static Task<ContestRow?> FindAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<ContestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM contests WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));

    /// <summary>Every contest, newest start first.</summary>
    public async Task<IReadOnlyList<ContestRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ContestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM contests ORDER BY starts_at DESC, id", cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Writes <paramref name="row"/> (whose version is one above <paramref name="expectedVersion"/>) if nobody changed the contest
    /// since; false otherwise. <paramref name="also"/> runs in the same transaction (a team's app bounds, a notice).
    /// </summary>
    public async Task<bool> UpdateAsync(ContestRow row, int expectedVersion, AuditEvent entry, CancellationToken cancellationToken,
        Func<DbConnection, DbTransaction, Task>? also = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE contests SET title = @Title, title_en = @TitleEn, description = @Description, description_en = @DescriptionEn, rules = @Rules,
                terms_version = @TermsVersion, tracks = @Tracks, datasets = @Datasets, starts_at = @StartsAt, registration_ends_at = @RegistrationEndsAt,
                submission_ends_at = @SubmissionEndsAt, judging_ends_at = @JudgingEndsAt, ends_at = @EndsAt, team_size_limit = @TeamSizeLimit,
                visibility = @Visibility, allowed_domains = @AllowedDomains, approval = @Approval, rubric = @Rubric, updated_at = @UpdatedAt,
                version = @Version, results_published_at = @ResultsPublishedAt, results_published_by = @ResultsPublishedBy
            WHERE id = @Id AND version = @expectedVersion
            """,
            new DynamicParameters(row).Also("expectedVersion", expectedVersion), transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            return false;
        }
        if (also is not null)
        {
            await also(connection, transaction);
        }
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Whether any judge has scored this contest (its rubric is then fixed).</summary>
    public async Task<bool> HasScoresAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM contest_scores WHERE contest_id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }
}

internal static class DynamicParametersExtensions
{
    public static DynamicParameters Also(this DynamicParameters parameters, string name, object? value)
    {
        parameters.Add(name, value);
        return parameters;
    }
}
