using System.Data.Common;
using Dapper;
using OpenData.Platform.Tenancy;

namespace OpenData.Platform.Catalogue;

/// <summary>Registers an owner tenant as a publishing organisation of the same id, in the tenant's own transaction.</summary>
internal sealed class OrganisationRegistrar : IOwnerTenantRegistrar
{
    public Task RegisterAsync(DbConnection connection, DbTransaction transaction, string id, string name, string nameEn, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO organisations (id, name, name_en) VALUES (@id, @name, @nameEn) ON CONFLICT (id) DO NOTHING",
            new { id, name, nameEn }, transaction, cancellationToken: cancellationToken));
}
