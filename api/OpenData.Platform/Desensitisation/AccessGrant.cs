using System.Security.Claims;
using OpenData.Platform.Datasets;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// What the caller's tenant holds for a dataset: an active grant (optionally narrowed to some columns, and approving
/// linkage domains in which its tokens match other datasets') or a pending request.
/// </summary>
internal sealed record AccessGrant(bool Active, bool Pending, IReadOnlySet<string>? Columns)
{
    // Declared before None, whose initialiser reads it.
    private static readonly IReadOnlySet<string> NoLinkage = new HashSet<string>(StringComparer.Ordinal);

    public static readonly AccessGrant None = new(false, false, null);

    /// <summary>The linkage domains the owner approved in this grant; empty unless the grant is active.</summary>
    public IReadOnlySet<string> Linkage { get; init; } = NoLinkage;
}

/// <summary>Looks up a caller's grant for a dataset at request time (issue 6 supplies the real one; until then nobody holds grants).</summary>
internal interface IGrantSource
{
    ValueTask<AccessGrant> FindAsync(ClaimsPrincipal caller, string tenantId, DatasetSchema dataset, CancellationToken cancellationToken);
}

internal sealed class NoGrants : IGrantSource
{
    public ValueTask<AccessGrant> FindAsync(ClaimsPrincipal caller, string tenantId, DatasetSchema dataset, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AccessGrant.None);
}
