using System.Security.Claims;

namespace OpenData.Platform.Quotas;

/// <summary>How many rows an export may stream for this caller: the seam for the plan's <c>exportRows</c> (issue 5).</summary>
public interface IRowAllowance
{
    /// <returns>The most rows the caller may take in one export, or null for no limit.</returns>
    ValueTask<long?> ExportRowsAsync(ClaimsPrincipal caller, CancellationToken cancellationToken);
}
