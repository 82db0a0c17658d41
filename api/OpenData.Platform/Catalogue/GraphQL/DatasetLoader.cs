using System.Security.Claims;
using GraphQL.DataLoader;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary>A dataset with this caller's view of it: columns, visibility, access.</summary>
internal sealed record ViewedDataset(DatasetSchema Schema, CallerView View);

/// <summary>
/// Per-request batch loads of datasets: by id (<c>dataset</c>, and the dataset of each access request or grant) and the
/// caller's view of each (columns and access of every item of a search page), one query for all that one level asks.
/// </summary>
internal sealed class DatasetLoader
{
    private readonly BatchLoader<string, DatasetRow> _rows;
    private readonly BatchLoader<DatasetRow, ViewedDataset> _views;
    private ClaimsPrincipal _caller = new(new ClaimsIdentity());

    public DatasetLoader(CatalogueStore store, DatasetDirectory directory, ICallerViewResolver views)
    {
        // Datasets come from the read path's short cache when it holds them (the records of the same request need them
        // anyway); one dataset missing is looked up through the cache, several in one query.
        _rows = new(async (ids, cancellationToken) =>
        {
            var found = new Dictionary<string, DatasetRow>(StringComparer.Ordinal);
            var missing = new List<string>();
            foreach (var id in ids)
            {
                if (directory.TryGetCached(id, out var row, out _))
                {
                    found[id] = row;
                }
                else
                {
                    missing.Add(id);
                }
            }
            if (missing.Count == 1 && (await directory.FindRowCachedAsync(missing[0], cancellationToken)).Row is { } one)
            {
                found[one.Id] = one;
            }
            else if (missing.Count > 1)
            {
                foreach (var row in await store.RowsAsync(missing, cancellationToken))
                {
                    found[row.Id] = row;
                }
            }
            return found;
        });
        _views = new(async (rows, cancellationToken) =>
        {
            var schemas = new Dictionary<DatasetRow, DatasetSchema>();
            var missing = new List<DatasetRow>();
            foreach (var row in rows)
            {
                if (directory.TryGetCached(row.Id, out var cached, out var schema) && cached.UpdatedAt == row.UpdatedAt)
                {
                    schemas[row] = schema;
                }
                else
                {
                    missing.Add(row);
                }
            }
            if (missing.Count > 0)
            {
                var columns = (await store.ColumnsAsync(missing.Select(r => r.Key).Distinct().ToList(), cancellationToken)).ToLookup(c => c.DatasetKey);
                foreach (var row in missing)
                {
                    schemas[row] = DatasetDirectory.ToSchema(row, columns[row.Key]);
                }
            }
            var viewed = new Dictionary<DatasetRow, ViewedDataset>();
            foreach (var (row, schema) in schemas)
            {
                viewed[row] = new ViewedDataset(schema, await views.ResolveAsync(_caller, schema, cancellationToken));
            }
            return viewed;
        });
    }

    public IDataLoaderResult<DatasetRow?> Load(string id) => _rows.Load(id);

    public IDataLoaderResult<ViewedDataset?> View(ClaimsPrincipal caller, DatasetRow row)
    {
        _caller = caller;
        return _views.Load(row);
    }
}
