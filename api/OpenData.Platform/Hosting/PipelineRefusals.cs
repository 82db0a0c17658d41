using Microsoft.AspNetCore.Authorization;
using OpenData.Platform.Common;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Hosting;

/// <summary>
/// The codes a route answers because of how it is mapped rather than what its handler does: a token (and a scope) when it is not
/// anonymous, quota admission when it is <see cref="Metered"/>. The codes of <see cref="HostingErrors"/> can come from any route.
/// </summary>
internal static class PipelineRefusals
{
    /// <summary>The codes the pipeline answers for a route with this metadata, in the order the pipeline may answer them.</summary>
    public static IEnumerable<string> For(IEnumerable<object> metadata)
    {
        var items = metadata.ToList();
        if (!items.OfType<IAllowAnonymous>().Any())
        {
            // The fallback policy asks for a token wherever a route does not allow anonymous callers.
            yield return CommonErrors.TokenRequired;
            if (items.OfType<IAuthorizeData>().Any(a => a.Policy is not null))
            {
                yield return CommonErrors.InsufficientScope;
            }
        }
        if (items.OfType<Metered>().Any())
        {
            yield return QuotasErrors.RateExceeded;
            yield return QuotasErrors.DailyExceeded;
        }
    }
}
