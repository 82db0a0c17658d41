using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Identity;
using OpenData.Platform.Storage;
using OpenData.Platform.Tenancy;

namespace OpenData.Platform.Auth;

/// <summary>
/// With <c>OpenData:Operator:ClientId</c> and <c>ClientSecret</c> set, ensures the operator's app holds exactly those
/// credentials and every scope, in the <c>platform</c> tenant; running it again changes nothing else.
/// </summary>
public sealed class OperatorBootstrap(Database database, IConfiguration configuration, TimeProvider clock, ILogger<OperatorBootstrap> logger)
{
    public const string PlatformTenant = "platform";

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var clientId = configuration["OpenData:Operator:ClientId"];
        var secret = configuration["OpenData:Operator:ClientSecret"];
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret))
        {
            return;
        }
        if (secret.Length < 16)
        {
            throw new InvalidOperationException("OpenData:Operator:ClientSecret must have at least 16 characters");
        }
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO tenants (id, name, kind, plan, limits, created_at) VALUES (@id, 'OpenData platform operator', 'platform', 'operator', '{}', @now) ON CONFLICT (id) DO NOTHING",
            new { id = PlatformTenant, now }, transaction, cancellationToken: cancellationToken));
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE apps SET secret_hash = @hash, scopes = @scopes, tenant_id = @tenant, disabled_at = NULL WHERE client_id = @clientId",
            new { hash = ClientSecrets.Hash(secret), scopes = string.Join(' ', Scopes.All), tenant = PlatformTenant, clientId }, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            // A new operator client id on an existing store: the operator app takes the new id and the old id stops
            // authenticating (tokens already issued to it run out within their hour; rotate the secret too to be rid of them sooner).
            updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE apps SET client_id = @clientId, secret_hash = @hash, scopes = @scopes, tenant_id = @tenant, disabled_at = NULL, secret_rotated_at = @now WHERE id = 'app-operator'",
                new { hash = ClientSecrets.Hash(secret), scopes = string.Join(' ', Scopes.All), tenant = PlatformTenant, clientId, now }, transaction, cancellationToken: cancellationToken));
        }
        if (updated == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(TenancyStore.InsertApp, new AppRow
            {
                Id = "app-operator",
                TenantId = PlatformTenant,
                Name = "Platform operator",
                ClientId = clientId,
                SecretHash = ClientSecrets.Hash(secret),
                Scopes = string.Join(' ', Scopes.All),
                Environment = "live",
                SecretRotatedAt = now,
                CreatedAt = now,
            }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Operator app {ClientId} ensured with every scope", clientId);
    }
}
