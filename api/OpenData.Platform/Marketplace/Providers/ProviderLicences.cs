using System.Security.Claims;
using System.Text.Json.Serialization;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;
using OpenData.Platform.Marketplace.Products;
using OpenData.Platform.Tenancy;

namespace OpenData.Platform.Marketplace.Providers;

/// <summary>The operator's <c>POST /v1/tenants/{id}/provider-licence</c>: <c>licensed</c> (default true) and a note.</summary>
internal sealed record LicenceInput(bool? Licensed, string? Note);

/// <summary>A tenant's provider licence: whether it is in force, since when and by whom, and when it was revoked.</summary>
internal sealed record LicenceView(string Tenant, bool Licensed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? LicensedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LicensedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? RevokedAt);

/// <summary>
/// Provider licences (数据服务商): the operator licenses a tenant that owns no data to publish value-added products in the
/// marketplace, or revokes the licence (its published products stay until it retires them; it publishes no new one). Audited.
/// A licence also makes the tenant a publishing organisation of the catalogue (same id, the tenant's name), in the licence's own
/// transaction, so it may publish derived datasets (<see cref="ProviderStanding"/>); revoking keeps the organisation and its
/// datasets, which stay readable, while the tenant publishes no new dataset or version.
/// </summary>
internal sealed class ProviderLicences(ProductStore store, TenancyStore tenancy, IEnumerable<IOwnerTenantRegistrar> organisations, ProviderStanding standing,
    TimeProvider clock)
{
    public async Task<Outcome<LicenceView>> SetAsync(ClaimsPrincipal user, string tenantId, LicenceInput? body, CancellationToken cancellationToken)
    {
        var tenant = await tenancy.TenantAsync(tenantId, cancellationToken);
        if (tenant is null)
        {
            return Refusal.NotFound(MarketplaceErrors.TenantNotFound, $"there is no tenant '{tenantId}'");
        }
        if (tenant.Kind != "consumer")
        {
            return Refusal.Validation(new Dictionary<string, string[]>
            {
                ["tenantId"] = [$"'{tenantId}' is a {tenant.Kind} tenant: owners publish products without a licence; the platform publishes none"],
            });
        }
        if (body?.Note is { Length: > 2000 })
        {
            return Refusal.Validation(new Dictionary<string, string[]> { ["note"] = ["note is at most 2,000 characters"] });
        }
        var licensed = body?.Licensed ?? true;
        var actor = user.Actor() ?? user.TenantId()!;
        await store.SetLicenceAsync(tenantId, licensed, actor, body?.Note, clock.GetUtcNow(),
            new Audit.AuditEvent(licensed ? "provider.licensed" : "provider.licence_revoked", user.TenantId(), user.Actor(), null, tenantId, tenantId,
                Audit.AuditDetails.Of(("tenant", tenantId), ("note", body?.Note))),
            licensed ? (connection, transaction, ct) => RegisterAsync(connection, transaction, tenant, ct) : null, cancellationToken);
        standing.Changed(tenantId);
        return await ViewAsync(tenantId, cancellationToken);
    }

    /// <summary>A tenant's licence, for the operator and the tenant itself.</summary>
    public async Task<Outcome<LicenceView>> GetAsync(ClaimsPrincipal user, string tenantId, CancellationToken cancellationToken)
    {
        if (!user.HasScope(Scopes.PlatformAdmin) && user.TenantId() != tenantId)
        {
            return Refusal.NotFound(MarketplaceErrors.TenantNotFound, $"there is no tenant '{tenantId}' of the caller's");
        }
        if (await tenancy.TenantAsync(tenantId, cancellationToken) is null)
        {
            return Refusal.NotFound(MarketplaceErrors.TenantNotFound, $"there is no tenant '{tenantId}'");
        }
        return await ViewAsync(tenantId, cancellationToken);
    }

    /// <summary>Every licence, in force or revoked, for the operator (anyone else: 403).</summary>
    public async Task<Outcome<IReadOnlyList<LicenceView>>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!user.HasScope(Scopes.PlatformAdmin))
        {
            return Refusal.Forbidden(CommonErrors.InsufficientScope, "the list of provider licences is the operator's (platform:admin)");
        }
        return (await store.LicencesAsync(cancellationToken))
            .Select(r => new LicenceView(r.TenantId, r.RevokedAt is null, r.LicensedAt, r.LicensedBy, r.Note, r.RevokedAt)).ToList();
    }

    private async Task RegisterAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, TenantRow tenant, CancellationToken cancellationToken)
    {
        foreach (var organisation in organisations)
        {
            await organisation.RegisterAsync(connection, transaction, tenant.Id, tenant.Name, tenant.Name, cancellationToken);
        }
    }

    private async Task<LicenceView> ViewAsync(string tenantId, CancellationToken cancellationToken)
    {
        var row = await store.LicenceAsync(tenantId, cancellationToken);
        return new LicenceView(tenantId, row is not null && row.RevokedAt is null, row?.LicensedAt, row?.LicensedBy, row?.Note, row?.RevokedAt);
    }
}
