using System.Security.Claims;
using OpenData.Platform.Catalogue;

namespace OpenData.Platform.Desensitisation;

/// <summary>What the caller's tenant holds for a dataset: an active grant (optionally narrowed to some columns) or a pending request.</summary>
public sealed record AccessGrant(bool Active, bool Pending, IReadOnlySet<string>? Columns)
{
    public static readonly AccessGrant None = new(false, false, null);
}

/// <summary>Looks up a caller's grant for a dataset at request time (issue 6 supplies the real one; until then nobody holds grants).</summary>
public interface IGrantSource
{
    ValueTask<AccessGrant> FindAsync(ClaimsPrincipal caller, string tenantId, DatasetSchema dataset, CancellationToken cancellationToken);
}

internal sealed class NoGrants : IGrantSource
{
    public ValueTask<AccessGrant> FindAsync(ClaimsPrincipal caller, string tenantId, DatasetSchema dataset, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AccessGrant.None);
}
