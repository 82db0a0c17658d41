using System.Security.Claims;

namespace OpenData.Platform.Common;

/// <summary>
/// The sandbox's magic dataset ids (docs/sandbox.md, "Magic values"): ids that exist only for a sandbox app's token and answer a
/// chosen refusal exactly as the live platform gives it, so that developers can drive their error paths with sandbox credentials.
/// The sandbox implements it; for every other caller, and without a sandbox, no id is magic (such an id is an unknown dataset).
/// Quota admission answers the quota ones, the read path the access one.
/// </summary>
internal interface IMagicDatasets
{
    /// <summary>The scripted answer of <paramref name="datasetId"/> for <paramref name="caller"/>, or <see cref="MagicRead.None"/>.</summary>
    MagicRead ReadOf(ClaimsPrincipal caller, string datasetId);
}

/// <summary>What a magic dataset id answers.</summary>
internal enum MagicRead
{
    /// <summary>Not magic: the dataset is looked up as usual.</summary>
    None,

    /// <summary>429 <c>quota.daily_exceeded</c>: the plan's requests for today are used up.</summary>
    QuotaExhausted,

    /// <summary>429 <c>rate.exceeded</c>: the plan's burst is used up.</summary>
    RateLimited,

    /// <summary>403 <c>access.grant_required</c>: a read of restricted rows whose grant was revoked.</summary>
    GrantRevoked,
}

/// <summary>The default when no sandbox is composed: no id is magic.</summary>
internal sealed class NoMagicDatasets : IMagicDatasets
{
    public MagicRead ReadOf(ClaimsPrincipal caller, string datasetId) => MagicRead.None;
}
