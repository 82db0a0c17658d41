using System.Text.Json;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Tenancy;

/// <summary>The SQL of tenants, members and apps. Every query for a tenant's rows names the tenant in its WHERE clause.</summary>
internal sealed class TenancyStore(Database database, IEnumerable<IOwnerTenantRegistrar> owners) : Quotas.ITenantPlanSource
{
    private const string TenantColumns = "id, name, kind, plan, limits, created_at, disabled_at, disabled_reason";
    private const string AppColumns = "id, tenant_id, name, client_id, secret_hash, scopes, environment, redirect_uris, disabled_at, secret_rotated_at, created_at, plan, datasets";
    private const string MemberColumns = "id, tenant_id, email, name, role, password_hash, failed_logins, locked_until, created_at";

    public async Task<TenantRow?> TenantAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(
            $"SELECT {TenantColumns} FROM tenants WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Creates the tenant (and, for an owner, tells <see cref="IOwnerTenantRegistrar"/> in the same transaction); false when the id is taken.</summary>
    public async Task<bool> CreateTenantAsync(TenantRow tenant, string? nameEn, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO tenants (id, name, kind, plan, limits, created_at) VALUES (@Id, @Name, @Kind, @Plan, @Limits, @CreatedAt) ON CONFLICT (id) DO NOTHING",
            tenant, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return false;
        }
        if (tenant.Kind == "owner")
        {
            foreach (var owner in owners)
            {
                await owner.RegisterAsync(connection, transaction, tenant.Id, tenant.Name, nameEn ?? tenant.Name, cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task UpdateTenantAsync(string id, string plan, IReadOnlyDictionary<string, long> limits, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET plan = @plan, limits = @limits WHERE id = @id",
            new { id, plan, limits = JsonSerializer.Serialize(limits) }, cancellationToken: cancellationToken));
    }

    /// <summary>Disables a tenant (<paramref name="at"/> and a reason) or enables it again (both null).</summary>
    public async Task SetDisabledAsync(string id, DateTimeOffset? at, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET disabled_at = @at, disabled_reason = @reason WHERE id = @id",
            new { id, at, reason }, cancellationToken: cancellationToken));
    }

    /// <summary>The ids of every disabled tenant (the token checks' and the sign-in cookie's void list).</summary>
    public async Task<HashSet<string>> DisabledTenantIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM tenants WHERE disabled_at IS NOT NULL", cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The operator's search: tenants whose name or id contains <see cref="TenantSearch.Q"/> (case-insensitive), of a kind and
    /// plan when given, by name then id, a page of them with their people and apps counted, and how many match in all.
    /// </summary>
    public async Task<(List<TenantSummaryRow> Rows, int Total)> SearchTenantsAsync(TenantSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var where = new List<string>();
        var q = search.Q is { Length: > 0 } text ? "%" + text.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%" : null;
        if (q is not null)
        {
            where.Add("(LOWER(t.name) LIKE @q ESCAPE '\\' OR LOWER(t.id) LIKE @q ESCAPE '\\')");
        }
        if (search.Kind is not null)
        {
            where.Add("t.kind = @kind");
        }
        if (search.Plan is not null)
        {
            where.Add("t.plan = @plan");
        }
        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        var parameters = new { q, kind = search.Kind, plan = search.Plan, offset = search.Offset, limit = search.Limit };
        await using var connection = await database.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM tenants t {filter}", parameters, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<TenantSummaryRow>(new CommandDefinition(
            $"""
            SELECT t.id, t.name, t.kind, t.plan, t.limits, t.created_at, t.disabled_at, t.disabled_reason,
                   (SELECT COUNT(*) FROM members m WHERE m.tenant_id = t.id) AS members,
                   (SELECT COUNT(*) FROM apps a WHERE a.tenant_id = t.id) AS apps
            FROM tenants t {filter}
            ORDER BY t.name, t.id
            LIMIT @limit OFFSET @offset
            """, parameters, cancellationToken: cancellationToken));
        return (rows.ToList(), (int)total);
    }

    /// <summary>How many people and apps a tenant has.</summary>
    public async Task<(long Members, long Apps)> CountsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT (SELECT COUNT(*) FROM members WHERE tenant_id = @tenantId), (SELECT COUNT(*) FROM apps WHERE tenant_id = @tenantId)",
            new { tenantId }, cancellationToken: cancellationToken));
    }

    /// <summary>Inserts an app; an app whose client_id exists already is left as it is.</summary>
    internal const string InsertApp =
        $"INSERT INTO apps ({AppColumns}) VALUES (@Id, @TenantId, @Name, @ClientId, @SecretHash, @Scopes, @Environment, @RedirectUris, @DisabledAt, @SecretRotatedAt, @CreatedAt, @Plan, @Datasets) ON CONFLICT (client_id) DO NOTHING";

    /// <summary>The client ids of every disabled app (the token checks' void list).</summary>
    public async Task<HashSet<string>> DisabledClientIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT client_id FROM apps WHERE disabled_at IS NOT NULL", cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Ensures, in one transaction, the platform tenant and its one app <paramref name="app"/> holding exactly these credentials and
    /// scopes, enabled: the app of that client id is updated; else the app of that id takes the new client id (the old one stops
    /// authenticating); else the app is created. Running it again changes nothing.
    /// </summary>
    public async Task EnsurePlatformAppAsync(TenantRow tenant, AppRow app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(app);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO tenants (id, name, kind, plan, limits, created_at) VALUES (@Id, @Name, @Kind, @Plan, @Limits, @CreatedAt) ON CONFLICT (id) DO NOTHING",
            tenant, transaction, cancellationToken: cancellationToken));
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE apps SET secret_hash = @SecretHash, scopes = @Scopes, tenant_id = @TenantId, disabled_at = NULL WHERE client_id = @ClientId",
            app, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE apps SET client_id = @ClientId, secret_hash = @SecretHash, scopes = @Scopes, tenant_id = @TenantId, disabled_at = NULL, secret_rotated_at = @SecretRotatedAt WHERE id = @Id",
                app, transaction, cancellationToken: cancellationToken));
        }
        if (updated == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertApp, app, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task CreateAppAsync(AppRow app, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertApp, app, cancellationToken: cancellationToken));
    }

    /// <summary>The app of that id within the tenant; null for another tenant's app (the caller then answers 404).</summary>
    public async Task<AppRow?> AppAsync(string id, string? tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AppRow>(new CommandDefinition(
            tenantId is null
                ? $"SELECT {AppColumns} FROM apps WHERE id = @id"
                : $"SELECT {AppColumns} FROM apps WHERE id = @id AND tenant_id = @tenantId",
            new { id, tenantId }, cancellationToken: cancellationToken));
    }

    /// <summary>The app of a client id, with when its tenant was disabled (<see cref="AppRow.Usable"/>): what the token server checks.</summary>
    public async Task<AppRow?> AppByClientIdAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AppRow>(new CommandDefinition(
            """
            SELECT a.id, a.tenant_id, a.name, a.client_id, a.secret_hash, a.scopes, a.environment, a.redirect_uris, a.disabled_at,
                   a.secret_rotated_at, a.created_at, a.plan, a.datasets, t.disabled_at AS tenant_disabled_at, t.kind AS tenant_kind
            FROM apps a JOIN tenants t ON t.id = a.tenant_id WHERE a.client_id = @clientId
            """, new { clientId }, cancellationToken: cancellationToken));
    }

    /// <summary>Binds an app to a plan and datasets (a JSON array of ids), or unbinds it (both null); false when there is no such app.</summary>
    public async Task<bool> SetBoundsAsync(string id, string? plan, string? datasets, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE apps SET plan = @plan, datasets = @datasets WHERE id = @id",
            new { id, plan, datasets }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>What binds each bound app, by client id (the token checks' view of the bounds in force; unbound apps are not listed).</summary>
    public async Task<Dictionary<string, AppBounds>> BoundAppsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AppRow>(new CommandDefinition(
            "SELECT client_id, plan, datasets FROM apps WHERE plan IS NOT NULL OR datasets IS NOT NULL", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.ClientId, r => r.Bounds, StringComparer.Ordinal);
    }

    public async Task RotateSecretAsync(string id, string tenantId, string secretHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE apps SET secret_hash = @secretHash, secret_rotated_at = @now WHERE id = @id AND tenant_id = @tenantId",
            new { id, tenantId, secretHash, now }, cancellationToken: cancellationToken));
    }

    public async Task DisableAppAsync(string id, string tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE apps SET disabled_at = COALESCE(disabled_at, @now) WHERE id = @id AND tenant_id = @tenantId",
            new { id, tenantId, now }, cancellationToken: cancellationToken));
    }

    /// <summary>Inserts a member; false when the e-mail is taken.</summary>
    public async Task<bool> CreateMemberAsync(MemberRow member, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO members ({MemberColumns}) VALUES (@Id, @TenantId, @Email, @Name, @Role, @PasswordHash, 0, NULL, @CreatedAt) ON CONFLICT (email) DO NOTHING",
            member, cancellationToken: cancellationToken));
        return inserted > 0;
    }

    /// <summary>Creates a tenant and its first member in one transaction; false (and nothing created) when the e-mail is taken.</summary>
    public async Task<bool> CreateTenantWithAdminAsync(TenantRow tenant, MemberRow member, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO tenants (id, name, kind, plan, limits, created_at) VALUES (@Id, @Name, @Kind, @Plan, @Limits, @CreatedAt)",
            tenant, transaction, cancellationToken: cancellationToken));
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO members ({MemberColumns}) VALUES (@Id, @TenantId, @Email, @Name, @Role, @PasswordHash, 0, NULL, @CreatedAt) ON CONFLICT (email) DO NOTHING",
            member, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>A tenant's apps, newest first.</summary>
    public async Task<List<AppRow>> AppsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AppRow>(new CommandDefinition(
            $"SELECT {AppColumns} FROM apps WHERE tenant_id = @tenantId ORDER BY created_at DESC, id", new { tenantId }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<List<MemberRow>> MembersAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<MemberRow>(new CommandDefinition(
            $"SELECT {MemberColumns} FROM members WHERE tenant_id = @tenantId ORDER BY email", new { tenantId }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<MemberRow?> MemberAsync(string? id, string? email, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            id is not null ? $"SELECT {MemberColumns} FROM members WHERE id = @id" : $"SELECT {MemberColumns} FROM members WHERE email = @email",
            new { id, email }, cancellationToken: cancellationToken));
    }

    /// <summary>The tenant of the enabled app with this client id; null when there is none (unknown or disabled).</summary>
    public async Task<string?> EnabledAppTenantAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT tenant_id FROM apps WHERE client_id = @clientId AND disabled_at IS NULL", new { clientId }, cancellationToken: cancellationToken));
    }

    /// <summary>The tenant's plan and overrides, as quota admission asks for them.</summary>
    public async ValueTask<Quotas.TenantPlan?> FindPlanAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string? Plan, string? Limits)>(new CommandDefinition(
            "SELECT plan, limits FROM tenants WHERE id = @tenantId", new { tenantId }, cancellationToken: cancellationToken));
        return row.Plan is null ? null : new Quotas.TenantPlan(row.Plan, row.Limits is null ? null : Limits(row.Limits));
    }

    public static Dictionary<string, long> Limits(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? [];
}
