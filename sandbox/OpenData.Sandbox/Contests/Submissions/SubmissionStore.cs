using System.Security.Cryptography;
using Dapper;
using OpenData.Platform.Audit;
using OpenData.Platform.Storage;

namespace OpenData.Sandbox.Contests;

/// <summary>The SQL of <c>contest_submissions</c> and <c>contest_attachments</c>. Versions of a team are numbered without gaps.</summary>
internal sealed class SubmissionStore(Database database, AuditLog audit)
{
    private const string Columns = "id, contest_id, team_id, version, title, description, demo_url, repository_url, datasets, attachment_id, submitted_by, submitted_at";

    private const string AttachmentColumns = "id, contest_id, team_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at";

    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public async Task InsertAttachmentAsync(AttachmentRow row, byte[] content, AuditEvent entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO contest_attachments ({AttachmentColumns}, content) VALUES (@Id, @ContestId, @TeamId, @FileName, @ContentType, @Size, @Sha256, @UploadedBy, @UploadedAt, @content)",
            new DynamicParameters(row).Also("content", content), transaction, cancellationToken: cancellationToken));
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<AttachmentRow?> FindAttachmentAsync(string contestId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AttachmentRow>(new CommandDefinition(
            $"SELECT {AttachmentColumns} FROM contest_attachments WHERE id = @id AND contest_id = @contestId", new { contestId, id }, cancellationToken: cancellationToken));
    }

    public async Task<byte[]?> AttachmentContentAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "SELECT content FROM contest_attachments WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Adds the team's next version (one above its highest) with its audit entry; answers the version given.</summary>
    public async Task<int> InsertAsync(SubmissionRow row, Func<int, AuditEvent> entry, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            row.Version = 1 + await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COALESCE(MAX(version), 0) FROM contest_submissions WHERE team_id = @TeamId", row, transaction, cancellationToken: cancellationToken));
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO contest_submissions ({Columns}) VALUES (@Id, @ContestId, @TeamId, @Version, @Title, @Description, @DemoUrl, @RepositoryUrl, @Datasets, "
                + "@AttachmentId, @SubmittedBy, @SubmittedAt) ON CONFLICT (team_id, version) DO NOTHING", row, transaction, cancellationToken: cancellationToken));
            if (inserted == 1)
            {
                await audit.AppendAsync(connection, transaction, entry(row.Version), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return row.Version;
            }
            if (attempt >= 5)
            {
                throw new InvalidOperationException($"could not number a new submission of team {row.TeamId}: too many at once");
            }
        }
    }

    /// <summary>Every version of the contest's submissions (of one team when given), by team then version.</summary>
    public async Task<IReadOnlyList<SubmissionRow>> ListAsync(string contestId, string? teamId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SubmissionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM contest_submissions WHERE contest_id = @contestId AND (@teamId IS NULL OR team_id = @teamId) ORDER BY team_id, version",
            new { contestId, teamId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The attachments named by the given submissions.</summary>
    public async Task<IReadOnlyDictionary<string, AttachmentRow>> AttachmentsAsync(string contestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AttachmentRow>(new CommandDefinition(
            $"SELECT {AttachmentColumns} FROM contest_attachments WHERE contest_id = @contestId", new { contestId }, cancellationToken: cancellationToken)))
            .ToDictionary(a => a.Id, StringComparer.Ordinal);
    }
}
