using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;

namespace OpenData.Platform.Auth;

/// <summary>
/// With <c>OpenData:Operator:ClientId</c> and <c>ClientSecret</c> set, ensures the operator's app holds exactly those
/// credentials and every scope, in the <c>platform</c> tenant; running it again changes nothing else.
/// </summary>
internal sealed class OperatorBootstrap(TenancyStore tenancy, IOptions<OperatorOptions> options, TimeProvider clock, ILogger<OperatorBootstrap> logger)
{
    public const string PlatformTenant = "platform";

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        // Both or neither, and a secret of 16 characters or more: OperatorOptions refused anything else at start.
        var (clientId, secret) = (options.Value.ClientId, options.Value.ClientSecret);
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret))
        {
            return;
        }
        var now = clock.GetUtcNow();
        var scopes = string.Join(' ', Scopes.All);
        // A new operator client id on an existing store: the operator app takes the new id and the old id stops authenticating
        // (tokens already issued to it run out within their hour; rotate the secret too to be rid of them sooner).
        await tenancy.EnsurePlatformAppAsync(
            new TenantRow { Id = PlatformTenant, Name = "OpenData platform operator", Kind = "platform", Plan = "operator", Limits = "{}", CreatedAt = now },
            new AppRow
            {
                Id = "app-operator",
                TenantId = PlatformTenant,
                Name = "Platform operator",
                ClientId = clientId,
                SecretHash = ClientSecrets.Hash(secret),
                Scopes = scopes,
                Environment = "live",
                SecretRotatedAt = now,
                CreatedAt = now,
            }, cancellationToken);
        logger.LogInformation("Operator app {ClientId} ensured with every scope", clientId);
    }
}
