using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Auth;

/// <summary>What makes a signed token void before it expires: its id revoked, or its app disabled. Read from the store on every use, so it holds on every node.</summary>
internal sealed class TokenState(Database database)
{
    public async Task<string?> WhyVoidAsync(string? jti, string? clientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            SELECT CASE
                WHEN EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = @jti) THEN 'The token was revoked.'
                WHEN NOT EXISTS (SELECT 1 FROM apps WHERE client_id = @clientId AND disabled_at IS NULL) THEN 'The app is disabled or unknown.'
                ELSE NULL END
            """, new { jti = jti ?? "", clientId = clientId ?? "" }, cancellationToken: cancellationToken));
    }

    /// <summary>Records a code or refresh token as used; false when it was used before (a replay).</summary>
    public async Task<bool> TryRedeemAsync(string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO redeemed_tokens (jti, expires_at) VALUES (@jti, @expiresAt) ON CONFLICT (jti) DO NOTHING",
            new { jti, expiresAt }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task RevokeAsync(string jti, string reason, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO revoked_tokens (jti, reason, expires_at) VALUES (@jti, @reason, @expiresAt) ON CONFLICT (jti) DO NOTHING",
            new { jti, reason, expiresAt }, cancellationToken: cancellationToken));
    }
}
