using System.Security.Claims;
using OpenData.Platform.Common;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Records;

/// <summary>
/// The datasets a bound app may read (<see cref="PlatformClaims.DatasetScope"/>): a contest team's app reads the contest's datasets and
/// no other. The read path asks here before anything of a dataset is read; so does any route that shows what a dataset's rows hold.
/// The catalogue (which datasets exist, their columns) stays open to every caller.
/// </summary>
internal static class AppDatasetScope
{
    /// <summary>How many of the app's datasets a refusal lists by name; past that it says how many there are.</summary>
    private const int Listed = 10;

    /// <summary>The 403 of a caller bound to datasets that do not include <paramref name="datasetId"/>; null when it may read it.</summary>
    public static Refusal? Refuses(ClaimsPrincipal caller, string datasetId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.DatasetScope() is not { } scope || scope.Contains(datasetId))
        {
            return null;
        }
        var which = scope.Count switch
        {
            0 => "it was issued for none",
            <= Listed => "it was issued for: " + string.Join(", ", scope.Order(StringComparer.Ordinal)),
            _ => $"it was issued for {scope.Count} of them",
        };
        return Refusal.Forbidden(RecordsErrors.OutsideAppScope,
            $"'{datasetId}' is outside this app's datasets: the app may read only the datasets {which}");
    }
}
