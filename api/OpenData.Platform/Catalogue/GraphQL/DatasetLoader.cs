using System.Security.Claims;
using GraphQL.DataLoader;
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

    public DatasetLoader(CatalogueStore store, ICallerViewResolver views)
    {
        _rows = new(async (ids, cancellationToken) =>
            (await store.RowsAsync(ids, cancellationToken)).ToDictionary(r => r.Id, StringComparer.Ordinal));
        _views = new(async (rows, cancellationToken) =>
        {
            var columns = (await store.ColumnsAsync(rows.Select(r => r.Key).Distinct().ToList(), cancellationToken)).ToLookup(c => c.DatasetKey);
            var viewed = new Dictionary<DatasetRow, ViewedDataset>();
            foreach (var row in rows)
            {
                var schema = DatasetDirectory.ToSchema(row, columns[row.Key]);
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
