using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using OpenData.Platform.Audit;
using OpenData.Platform.Storage;
using OpenData.Platform.Webhooks;

namespace OpenData.Sandbox.Contests;

/// <summary>
/// The SQL of <c>contest_teams</c> and <c>contest_team_members</c>. A team and its members are written together with the audit
/// entry (and the webhook notice of a decision) in one transaction; the unique keys make a taken name or a person already in a
/// team a conflict even when two registrations race.
/// </summary>
internal sealed class TeamStore(Database database, AuditLog audit, WebhookOutbox outbox)
{
    /// <summary>The prefix of <c>app_id</c> while a request makes the team's app (claimed so that only one makes it).</summary>
    public const string MakingApp = "making:";

    private const string Columns =
        "id, contest_id, tenant_id, name, name_key, track, status, terms_version, terms_accepted_by, terms_accepted_at, registered_by, registered_at, "
        + "decided_by, decided_at, decision_reason, app_id, live_app_id, entry_code, version";

    public static string NewId() => "team_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>A new entry code: random (nothing of the team's id, name or tenant can be read from it), ten hex digits.</summary>
    public static string NewEntryCode() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    /// <summary>A webhook event for a tenant, written with the change it tells of.</summary>
    public sealed record Notice(string Tenant, string Event, object Data);

    /// <summary>Why a write did not happen.</summary>
    public enum Clash
    {
        None,
        Name,
        Member,
        Changed,
    }

    public async Task<(Clash Clash, string? Member)> InsertAsync(TeamRow team, IReadOnlyList<string> members, AuditEvent entry, Notice? notice, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO contest_teams ({Columns}) VALUES (@Id, @ContestId, @TenantId, @Name, @NameKey, @Track, @Status, @TermsVersion, @TermsAcceptedBy, "
            + "@TermsAcceptedAt, @RegisteredBy, @RegisteredAt, @DecidedBy, @DecidedAt, @DecisionReason, @AppId, @LiveAppId, @EntryCode, @Version) "
            + "ON CONFLICT (contest_id, name_key) DO NOTHING", team, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return (Clash.Name, null);
        }
        var taken = await InsertMembersAsync(connection, transaction, team, members, cancellationToken);
        if (taken is not null)
        {
            return (Clash.Member, taken);
        }
        await FinishAsync(connection, transaction, entry, notice, cancellationToken);
        return (Clash.None, null);
    }

    /// <summary>Writes a changed team (compare-and-set on its version), and its new members when given (the old ones go).</summary>
    public async Task<(Clash Clash, string? Member)> UpdateAsync(TeamRow team, int expectedVersion, IReadOnlyList<string>? members, AuditEvent entry, Notice? notice,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int updated;
        try
        {
            updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE contest_teams SET name = @Name, name_key = @NameKey, track = @Track, status = @Status, decided_by = @DecidedBy, decided_at = @DecidedAt,
                    decision_reason = @DecisionReason, app_id = @AppId, live_app_id = @LiveAppId, version = @Version
                WHERE id = @Id AND version = @expectedVersion
                """, new DynamicParameters(team).Also("expectedVersion", expectedVersion), transaction, cancellationToken: cancellationToken));
        }
        catch (DbException e) when (StoreFailures.IsUniqueViolation(e))
        {
            // The unique (contest, name) key: another team took the name meanwhile.
            return (Clash.Name, null);
        }
        if (updated == 0)
        {
            return (Clash.Changed, null);
        }
        if (members is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM contest_team_members WHERE team_id = @Id", new { team.Id }, transaction, cancellationToken: cancellationToken));
            var taken = await InsertMembersAsync(connection, transaction, team, members, cancellationToken);
            if (taken is not null)
            {
                return (Clash.Member, taken);
            }
        }
        await FinishAsync(connection, transaction, entry, notice, cancellationToken);
        return (Clash.None, null);
    }

    private static async Task<string?> InsertMembersAsync(DbConnection connection, DbTransaction transaction, TeamRow team, IReadOnlyList<string> members,
        CancellationToken cancellationToken)
    {
        foreach (var email in members)
        {
            if (await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO contest_team_members (contest_id, team_id, email, name) VALUES (@contest, @team, @email, NULL) ON CONFLICT (contest_id, email) DO NOTHING",
                new { contest = team.ContestId, team = team.Id, email }, transaction, cancellationToken: cancellationToken)) == 0)
            {
                return email;
            }
        }
        return null;
    }

    private async Task FinishAsync(DbConnection connection, DbTransaction transaction, AuditEvent entry, Notice? notice, CancellationToken cancellationToken)
    {
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        if (notice is not null)
        {
            await outbox.EnqueueAsync(connection, transaction, notice.Tenant, notice.Event, notice.Data, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<TeamRow?> FindAsync(string contestId, string teamId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TeamRow>(new CommandDefinition(
            $"SELECT {Columns} FROM contest_teams WHERE id = @teamId AND contest_id = @contestId", new { contestId, teamId }, cancellationToken: cancellationToken));
    }

    /// <summary>The teams of a contest (of one tenant when given), in the order they registered.</summary>
    public async Task<IReadOnlyList<TeamRow>> ListAsync(string contestId, string? tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TeamRow>(new CommandDefinition(
            $"SELECT {Columns} FROM contest_teams WHERE contest_id = @contestId AND (@tenantId IS NULL OR tenant_id = @tenantId) ORDER BY registered_at, id",
            new { contestId, tenantId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Every team of a tenant, in any contest (the participant's console).</summary>
    public async Task<IReadOnlyList<TeamRow>> OfTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TeamRow>(new CommandDefinition(
            $"SELECT {Columns} FROM contest_teams WHERE tenant_id = @tenantId ORDER BY registered_at DESC, id", new { tenantId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Members' e-mails by team, for the given teams.</summary>
    public async Task<ILookup<string, string>> MembersAsync(string contestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string TeamId, string Email)>(new CommandDefinition(
            "SELECT team_id, email FROM contest_team_members WHERE contest_id = @contestId ORDER BY email", new { contestId }, cancellationToken: cancellationToken));
        return rows.ToLookup(r => r.TeamId, r => r.Email, StringComparer.Ordinal);
    }

    /// <summary>Claims the making of a team's app: true for the one request that may make it.</summary>
    public async Task<bool> ClaimAppAsync(string teamId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE contest_teams SET app_id = @claim WHERE id = @teamId AND app_id IS NULL",
            new { teamId, claim = MakingApp + Guid.NewGuid().ToString("N") }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Records the team's app once made (or gives the claim back with null).</summary>
    public async Task SetAppAsync(string teamId, string? appId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE contest_teams SET app_id = @appId WHERE id = @teamId", new { teamId, appId }, cancellationToken: cancellationToken));
    }

    /// <summary>Records the live app a winning team took live.</summary>
    public async Task SetLiveAppAsync(string teamId, string liveAppId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE contest_teams SET live_app_id = @liveAppId WHERE id = @teamId", new { teamId, liveAppId }, cancellationToken: cancellationToken));
    }
}
