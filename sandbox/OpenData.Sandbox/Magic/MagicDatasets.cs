using System.Security.Claims;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Sandbox.Magic;

/// <summary>
/// The sandbox's magic dataset ids (docs/sandbox.md, "Magic values"), like a payment sandbox's test cards: for a sandbox app's token,
/// reading one answers a chosen refusal exactly as the live platform gives it; for anyone else the id is an unknown dataset (404).
/// </summary>
internal sealed class MagicDatasets : IMagicDatasets
{
    /// <summary>429 <c>quota.daily_exceeded</c>, <c>Retry-After</c> to midnight China Standard Time, the day's requests shown spent.</summary>
    public const string QuotaExhausted = "sandbox-quota-exhausted";

    /// <summary>429 <c>rate.exceeded</c>, <c>Retry-After</c> of the plan's burst, the burst shown spent.</summary>
    public const string RateLimited = "sandbox-rate-limited";

    /// <summary>403 <c>access.grant_required</c>: what a live read of restricted rows answers once their grant is revoked.</summary>
    public const string GrantRevoked = "sandbox-grant-revoked";

    public static readonly IReadOnlyDictionary<string, MagicRead> All = new Dictionary<string, MagicRead>(StringComparer.Ordinal)
    {
        [QuotaExhausted] = MagicRead.QuotaExhausted,
        [RateLimited] = MagicRead.RateLimited,
        [GrantRevoked] = MagicRead.GrantRevoked,
    };

    public MagicRead ReadOf(ClaimsPrincipal caller, string datasetId) =>
        caller.IsSandbox() && All.TryGetValue(datasetId, out var read) ? read : MagicRead.None;
}
