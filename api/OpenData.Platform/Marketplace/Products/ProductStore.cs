using System.Data.Common;
using Dapper;
using OpenData.Platform.Storage;
using OpenData.Platform.Webhooks;

namespace OpenData.Platform.Marketplace.Products;

/// <summary>The <c>products</c>, <c>product_agreements</c> and <c>provider_licences</c> tables; every change with its audit entry in one transaction.</summary>
internal sealed class ProductStore(Database database, Audit.AuditLog audit, WebhookOutbox outbox)
{
    /// <summary>A row of <c>products</c>; datasets and plans are JSON.</summary>
    internal sealed class ProductRow
    {
        public string Id { get; set; } = "";
        public string ProviderId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Title { get; set; } = "";
        public string? TitleEn { get; set; }
        public string Description { get; set; } = "";
        public string? DescriptionEn { get; set; }
        public string? Documentation { get; set; }
        public string Datasets { get; set; } = "[]";
        public string Plans { get; set; } = "[]";
        public string AgreementVersion { get; set; } = "";
        public string Approval { get; set; } = "";
        public string Status { get; set; } = "";
        public DateTimeOffset? RetiresAt { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }
    }

    internal sealed class AgreementRow
    {
        public string ProductId { get; set; } = "";
        public string Version { get; set; } = "";
        public string Text { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
    }

    private const string Columns =
        "id, provider_id, kind, title, title_en, description, description_en, documentation, datasets, plans, agreement_version, approval, status, retires_at, created_at, updated_at";

    public async Task<ProductRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ProductRow>(new CommandDefinition(
            $"SELECT {Columns} FROM products WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Published products (and, with <paramref name="provider"/>, every product of that provider too), by id.</summary>
    public async Task<List<ProductRow>> ListAsync(string? provider, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<ProductRow>(new CommandDefinition(
            $"SELECT {Columns} FROM products WHERE status = 'published' OR provider_id = @provider ORDER BY id", new { provider = provider ?? "" },
            cancellationToken: cancellationToken))];
    }

    public async Task<AgreementRow?> AgreementAsync(string productId, string version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AgreementRow>(new CommandDefinition(
            "SELECT product_id, version, text, created_at FROM product_agreements WHERE product_id = @productId AND version = @version",
            new { productId, version }, cancellationToken: cancellationToken));
    }

    public async Task<List<AgreementRow>> AgreementsAsync(string productId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<AgreementRow>(new CommandDefinition(
            "SELECT product_id, version, text, created_at FROM product_agreements WHERE product_id = @productId ORDER BY created_at, version",
            new { productId }, cancellationToken: cancellationToken))];
    }

    /// <summary>Creates a product with its first agreement; false when the id is taken.</summary>
    public async Task<bool> InsertAsync(ProductRow row, AgreementRow agreement, Audit.AuditEvent entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO products ({Columns})
            VALUES (@Id, @ProviderId, @Kind, @Title, @TitleEn, @Description, @DescriptionEn, @Documentation, @Datasets, @Plans, @AgreementVersion, @Approval,
                    @Status, @RetiresAt, @CreatedAt, @UpdatedAt)
            ON CONFLICT (id) DO NOTHING
            """, row, transaction, cancellationToken: cancellationToken));
        if (inserted != 1)
        {
            return false;
        }
        await InsertAgreementAsync(connection, transaction, agreement, cancellationToken);
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Writes a changed product if it is still as read (<paramref name="updatedBefore"/>), with a new agreement version if any, its
    /// audit entry and the webhooks to send (a retirement's notices); false when someone changed it meanwhile.
    /// </summary>
    public async Task<bool> UpdateAsync(ProductRow row, DateTimeOffset updatedBefore, AgreementRow? agreement, Audit.AuditEvent entry,
        IReadOnlyList<(string Tenant, object Data)> notices, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE products SET kind = @Kind, title = @Title, title_en = @TitleEn, description = @Description, description_en = @DescriptionEn,
                documentation = @Documentation, datasets = @Datasets, plans = @Plans, agreement_version = @AgreementVersion, approval = @Approval,
                status = @Status, retires_at = @RetiresAt, updated_at = @UpdatedAt
            WHERE id = @Id AND updated_at = @before
            """, new
            {
                row.Id, row.Kind, row.Title, row.TitleEn, row.Description, row.DescriptionEn, row.Documentation, row.Datasets, row.Plans, row.AgreementVersion,
                row.Approval, row.Status, row.RetiresAt, row.UpdatedAt, before = updatedBefore,
            }, transaction, cancellationToken: cancellationToken));
        if (changed != 1)
        {
            return false;
        }
        if (agreement is not null)
        {
            await InsertAgreementAsync(connection, transaction, agreement, cancellationToken);
        }
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        foreach (var (tenant, data) in notices)
        {
            await outbox.EnqueueAsync(connection, transaction, tenant, WebhookEvents.ProductRetiring, data, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static Task<int> InsertAgreementAsync(DbConnection connection, DbTransaction transaction, AgreementRow agreement, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO product_agreements (product_id, version, text, created_at) VALUES (@ProductId, @Version, @Text, @CreatedAt)",
            agreement, transaction, cancellationToken: cancellationToken));

    /// <summary>Whether the tenant holds a provider licence in force.</summary>
    public async Task<bool> LicensedAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM provider_licences WHERE tenant_id = @tenantId AND revoked_at IS NULL", new { tenantId }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Licenses a tenant (again, if revoked), or revokes its licence; with the audit entry and <paramref name="also"/> (if any) in the same transaction.</summary>
    public async Task SetLicenceAsync(string tenantId, bool licensed, string actor, string? note, DateTimeOffset now, Audit.AuditEvent entry,
        Func<DbConnection, DbTransaction, CancellationToken, Task>? also, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            licensed
                ? """
                  INSERT INTO provider_licences (tenant_id, licensed_by, licensed_at, note, revoked_at, revoked_by) VALUES (@tenantId, @actor, @now, @note, NULL, NULL)
                  ON CONFLICT (tenant_id) DO UPDATE SET licensed_by = excluded.licensed_by, licensed_at = excluded.licensed_at, note = excluded.note,
                      revoked_at = NULL, revoked_by = NULL
                  """
                : "UPDATE provider_licences SET revoked_at = @now, revoked_by = @actor WHERE tenant_id = @tenantId AND revoked_at IS NULL",
            new { tenantId, actor, now, note }, transaction, cancellationToken: cancellationToken));
        if (also is not null)
        {
            await also(connection, transaction, cancellationToken);
        }
        await audit.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Every tenant that holds or held a licence, the ones in force first, by tenant id.</summary>
    public async Task<List<LicenceRow>> LicencesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<LicenceRow>(new CommandDefinition(
            "SELECT tenant_id, licensed_by, licensed_at, note, revoked_at, revoked_by FROM provider_licences ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, tenant_id",
            cancellationToken: cancellationToken))];
    }

    /// <summary>The licence of a tenant, or null when it never held one.</summary>
    public async Task<LicenceRow?> LicenceAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<LicenceRow>(new CommandDefinition(
            "SELECT tenant_id, licensed_by, licensed_at, note, revoked_at, revoked_by FROM provider_licences WHERE tenant_id = @tenantId",
            new { tenantId }, cancellationToken: cancellationToken));
    }

    internal sealed class LicenceRow
    {
        public string TenantId { get; set; } = "";
        public string LicensedBy { get; set; } = "";
        public DateTimeOffset LicensedAt { get; set; }
        public string? Note { get; set; }
        public DateTimeOffset? RevokedAt { get; set; }
        public string? RevokedBy { get; set; }
    }
}
