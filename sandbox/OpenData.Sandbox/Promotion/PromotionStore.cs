using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Sandbox.Promotion;

/// <summary>
/// The SQL of <c>sandbox_promotions</c>: a promotion first claims its sandbox app (the primary key lets one claim win), then
/// records the live app it made; a promotion that fails before that gives its claim back.
/// </summary>
internal sealed class PromotionStore(Database database)
{
    /// <summary>Claims the sandbox app for a promotion; false when it was promoted (or is being promoted) already.</summary>
    public async Task<bool> ClaimAsync(string sandboxAppId, string tenantId, string? by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sandbox_promotions (sandbox_app_id, tenant_id, live_app_id, promoted_by, promoted_at) VALUES (@sandboxAppId, @tenantId, NULL, @by, @at)
            ON CONFLICT (sandbox_app_id) DO NOTHING
            """,
            new { sandboxAppId, tenantId, by, at }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task CompleteAsync(string sandboxAppId, string liveAppId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sandbox_promotions SET live_app_id = @liveAppId WHERE sandbox_app_id = @sandboxAppId",
            new { sandboxAppId, liveAppId }, cancellationToken: cancellationToken));
    }

    /// <summary>Gives a claim back whose promotion made no live app.</summary>
    public async Task ReleaseAsync(string sandboxAppId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sandbox_promotions WHERE sandbox_app_id = @sandboxAppId AND live_app_id IS NULL",
            new { sandboxAppId }, cancellationToken: cancellationToken));
    }

    /// <summary>The live app a sandbox app was promoted to ("" while under way), or null when it was never promoted.</summary>
    public async Task<string?> LiveAppOfAsync(string sandboxAppId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT COALESCE(live_app_id, '') FROM sandbox_promotions WHERE sandbox_app_id = @sandboxAppId",
            new { sandboxAppId }, cancellationToken: cancellationToken));
    }
}
