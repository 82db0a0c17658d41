using System.Security.Claims;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Catalogue;

/// <summary>
/// Tags or untags one column of the caller's own dataset: the rules, refusals and audit entry of
/// <c>PATCH /v1/datasets/{id}/columns/{name}</c>, for the API and the owner's console alike. A tag ends a suspicion; the next read obeys it.
/// </summary>
internal sealed class ColumnTagger(CatalogueStore store, DatasetDirectory directory, DesensitisationPolicy policy, Audit.AuditLog audit)
{
    /// <summary>Sets <paramref name="tag"/> (null or blank: no tag) on the column; returns the column as it now stands.</summary>
    public async Task<Outcome<ColumnDefinition>> TagAsync(ClaimsPrincipal user, string datasetId, string column, string? tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var found = await store.GetAsync(datasetId, cancellationToken);
        if (found is null)
        {
            return DatasetDirectory.NotFound(datasetId);
        }
        // Another tenant's dataset answers as if it did not exist for writing: 404, like any id outside the caller's reach.
        if (!string.Equals(user.TenantId(), found.Value.Dataset.OwnerId, StringComparison.Ordinal))
        {
            return Refusal.NotFound(CatalogueErrors.DatasetNotFound, $"the caller's organisation owns no dataset '{datasetId}': only its owner can tag its columns");
        }
        var (row, columns, _) = found.Value;
        var current = columns.Find(c => string.Equals(c.Name, column, StringComparison.Ordinal));
        if (current is null)
        {
            return Refusal.NotFound(CatalogueErrors.UnknownColumn, $"'{datasetId}' has no column '{column}'; its columns are {string.Join(", ", columns.Select(c => c.Name))}");
        }
        var definition = current.ToDefinition();
        var wanted = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim();
        if (wanted is not null && DatasetValidator.TagProblem(wanted, definition.Type, policy) is { } problem)
        {
            return Refusal.Validation(new Dictionary<string, string[]> { ["tag"] = [problem] });
        }
        await store.SetTagAsync(row.Key, column, wanted, cancellationToken);
        directory.Forget(datasetId);
        await audit.AppendAsync(new Audit.AuditEvent("dataset.column_tagged", row.OwnerId, user.Actor(), datasetId, row.OwnerId, null,
            Audit.AuditDetails.Of(("column", column), ("from", current.Tag), ("to", wanted))), cancellationToken);
        // As SetTagAsync leaves it: a tag ends a suspicion; taking one away leaves the column suspected.
        return definition with
        {
            Tag = wanted,
            Suspected = wanted is not null ? null : current.Tag is not null ? "untagged:" + current.Tag : current.Suspected,
        };
    }
}
