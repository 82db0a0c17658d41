using System.Security.Claims;
using OpenData.Platform.Catalogue;

namespace OpenData.Platform.Desensitisation;

/// <summary>Decides a caller's view of a dataset from its classification, the caller and (issue 6) the caller's grants.</summary>
public interface ICallerViewResolver
{
    ValueTask<CallerView> ResolveAsync(ClaimsPrincipal caller, DatasetSchema dataset, CancellationToken cancellationToken);
}
