using System.Data.Common;

namespace OpenData.Platform.Tenancy;

/// <summary>
/// Told, inside the transaction that creates an owner tenant, so the data owner exists as a publisher the moment the tenant does
/// (the catalogue's organisations implement it). Tenancy raises it and knows nothing of the catalogue.
/// </summary>
internal interface IOwnerTenantRegistrar
{
    Task RegisterAsync(DbConnection connection, DbTransaction transaction, string id, string name, string nameEn, CancellationToken cancellationToken);
}
