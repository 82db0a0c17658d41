using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenData.Platform.Identity;
using OpenData.Platform.Tenancy;

namespace OpenData.Platform.Auth;

/// <summary>
/// With <c>OpenData:Operator:ClientId</c> and <c>ClientSecret</c> set, ensures the operator's app holds exactly those
/// credentials and every scope, in the <c>platform</c> tenant; running it again changes nothing else.
/// </summary>
internal sealed class OperatorBootstrap(TenancyStore tenancy, IConfiguration configuration, TimeProvider clock, ILogger<OperatorBootstrap> logger)
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
