using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Records;

/// <summary>
/// Who reads: the principal whose view applies, and the quota subject whose rows the read spends (null outside a metered
/// request: the CLI, the reader's own tests). Passed in by the caller of the read path, never found through an ambient context.
/// </summary>
internal sealed record ReadCaller(ClaimsPrincipal User, QuotaSubject? Quota)
{
    /// <summary>
    /// The caller of an HTTP request, with the quota subject the admission middleware resolved for it; <paramref name="user"/>
    /// when the view is another principal's than the request's (the portal's signed-in person).
    /// </summary>
    public static ReadCaller Of(HttpContext context, ClaimsPrincipal? user = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ReadCaller(user ?? context.User, context.Features.Get<QuotaSubject>());
    }
}
