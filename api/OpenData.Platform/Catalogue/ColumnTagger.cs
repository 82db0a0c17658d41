using System.Security.Claims;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Catalogue;

/// <summary>
/// Tags or untags one column of the caller's own dataset, or declares it indexed: the rules, refusals and audit entries of
/// <c>PATCH /v1/datasets/{id}/columns/{name}</c>, for the API and the owner's console alike. A tag ends a suspicion; the next read
/// obeys it. An index is built by the next load. A column a derived dataset carries from a tagged column of a source keeps that tag
/// (as at its declaration): retagging or untagging it is refused, so a deriver cannot launder its sources' personal data.
/// </summary>
internal sealed class ColumnTagger(CatalogueStore store, DatasetDirectory directory, DesensitisationPolicy policy, Audit.AuditLog audit)
{
    /// <summary>Sets <paramref name="tag"/> (null or blank: no tag) on the column; returns the column as it now stands.</summary>
    public Task<Outcome<ColumnDefinition>> TagAsync(ClaimsPrincipal user, string datasetId, string column, string? tag, CancellationToken cancellationToken) =>
        ChangeAsync(user, datasetId, column, new ColumnPatch { Tag = tag }, cancellationToken);

    /// <summary>
    /// Applies <paramref name="patch"/>: the tag (see <see cref="ColumnPatch.ChangesTag"/>) and/or whether the column is indexed.
    /// Everything is checked before anything changes; an index takes effect with the next version loaded.
    /// </summary>
    public async Task<Outcome<ColumnDefinition>> ChangeAsync(ClaimsPrincipal user, string datasetId, string column, ColumnPatch patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(patch);
        var found = await store.GetAsync(datasetId, cancellationToken);
        if (found is null)
        {
            return DatasetDirectory.NotFound(datasetId);
        }
        // Another tenant's dataset answers as if it did not exist for writing: 404, like any id outside the caller's reach.
        if (!string.Equals(user.TenantId(), found.Value.Dataset.OwnerId, StringComparison.Ordinal))
        {
            return Refusal.NotFound(CatalogueErrors.DatasetNotFound, $"the caller's organisation owns no dataset '{datasetId}': only its owner can change its columns");
        }
        var (row, columns, _) = found.Value;
        var current = columns.Find(c => string.Equals(c.Name, column, StringComparison.Ordinal));
        if (current is null)
        {
            return Refusal.NotFound(CatalogueErrors.UnknownColumn, $"'{datasetId}' has no column '{column}'; its columns are {string.Join(", ", columns.Select(c => c.Name))}");
        }
        var definition = current.ToDefinition();
        var wanted = string.IsNullOrWhiteSpace(patch.Tag) ? null : patch.Tag.Trim();
        if (patch.ChangesTag && wanted is not null && DatasetValidator.TagProblem(wanted, definition.Type, policy) is { } problem)
        {
            return Refusal.Validation(new Dictionary<string, string[]> { ["tag"] = [problem] });
        }
        if (patch.ChangesTag && wanted != current.Tag && await CarriedTagAsync(datasetId, column, cancellationToken) is { } carried && carried.Tag != wanted)
        {
            // The rule of a derived dataset's declaration holds afterwards too: a carried column keeps its source's protection.
            return Refusal.Validation(new Dictionary<string, string[]>
            {
                ["tag"] = [$"column '{column}' carries '{carried.Tag}' from its source '{carried.Source}': a derived dataset keeps its sources' tags"],
            });
        }
        if (patch.Indexed == true && !current.Indexed)
        {
            var indexProblem = DatasetValidator.IndexProblem(column, definition.Type);
            var indexed = columns.Count(c => c.Indexed) + 1;
            if (indexProblem is not null || indexed > DatasetValidator.MaxIndexedColumns)
            {
                return Refusal.Validation(new Dictionary<string, string[]> { ["indexed"] = [indexProblem ?? DatasetValidator.TooManyIndexes(indexed)] });
            }
        }
        if (patch.Indexed is { } index && index != current.Indexed)
        {
            await store.SetIndexedAsync(row.Key, column, index, cancellationToken);
            directory.Forget(datasetId);
            await audit.AppendAsync(new Audit.AuditEvent("dataset.column_indexed", row.OwnerId, user.Actor(), datasetId, row.OwnerId, null,
                Audit.AuditDetails.Of(("column", column), ("indexed", index ? "true" : "false"))), cancellationToken);
            definition = definition with { Indexed = index };
        }
        if (!patch.ChangesTag)
        {
            return definition;
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

    /// <summary>The tag a column of a derived dataset carries from one of its sources (same name, tagged there), or null.</summary>
    private async Task<(string Source, string Tag)?> CarriedTagAsync(string datasetId, string column, CancellationToken cancellationToken)
    {
        var (sources, _) = await store.LineageAsync(datasetId, cancellationToken);
        foreach (var source in sources)
        {
            if ((await directory.FindAsync(source.Id, cancellationToken))?.Columns.FirstOrDefault(c => c.Name == column && c.Tag is not null) is { } carried)
            {
                return (source.Id, carried.Tag!);
            }
        }
        return null;
    }
}
