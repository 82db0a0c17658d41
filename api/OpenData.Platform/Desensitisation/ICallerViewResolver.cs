using System.Security.Claims;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Desensitisation;

/// <summary>Decides a caller's view of a dataset from its classification, the caller and (issue 6) the caller's grants.</summary>
internal interface ICallerViewResolver
{
    ValueTask<CallerView> ResolveAsync(ClaimsPrincipal caller, DatasetSchema dataset, CancellationToken cancellationToken);

    /// <summary>
    /// The view <paramref name="tenant"/> would have at <paramref name="level"/> (open or granted) holding a grant of
    /// <paramref name="columns"/> (all when null): what a reviewer weighs before approving, never the caller's own view.
    /// </summary>
    CallerView ProposedView(DatasetSchema dataset, AccessLevel level, string? tenant, IReadOnlySet<string>? columns);
}
