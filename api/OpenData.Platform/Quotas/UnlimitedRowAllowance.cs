using System.Security.Claims;

namespace OpenData.Platform.Quotas;

/// <summary>No export limit, until plans arrive.</summary>
internal sealed class UnlimitedRowAllowance : IRowAllowance
{
    public ValueTask<long?> ExportRowsAsync(ClaimsPrincipal caller, CancellationToken cancellationToken) => ValueTask.FromResult<long?>(null);
}
