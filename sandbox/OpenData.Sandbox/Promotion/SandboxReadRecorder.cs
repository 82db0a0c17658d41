using System.Security.Claims;
using OpenData.Platform.Datasets;
using OpenData.Platform.Identity;

namespace OpenData.Sandbox.Promotion;

/// <summary>
/// Records, for sandbox callers only, which columns of which dataset each sandbox app read (<c>sandbox_reads</c>, rows added up;
/// never a value), so that promoting the app to live can draft access requests for exactly those columns. Live reads pass.
/// </summary>
internal sealed class SandboxReadRecorder(SandboxReadStore store, TimeProvider clock) : IRecordReadObserver
{
    public async ValueTask OnReadAsync(ClaimsPrincipal caller, ReadReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!caller.IsSandbox() || report.Columns.Count == 0
            || caller.FindFirst(PlatformClaims.ClientId)?.Value is not { Length: > 0 } clientId || caller.TenantId() is not { } tenant)
        {
            return;
        }
        // The rows have left already: the tally is written even if the client went away meanwhile.
        await store.RecordAsync(clientId, tenant, report.DatasetId, report.Columns.Distinct(StringComparer.Ordinal).ToList(), report.Rows, clock.GetUtcNow(),
            CancellationToken.None);
    }
}
