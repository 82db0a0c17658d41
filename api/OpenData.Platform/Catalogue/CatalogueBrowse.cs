using System.Text;
using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Catalogue;

/// <summary>
/// The catalogue as people browse it (the portal): counts per theme, owner and classification, a page by number in a chosen
/// order with the total, and the platform's figures. The API's <see cref="CatalogueStore.PageAsync"/> pages by cursor in id
/// order; this one pages by offset because a person jumps to page 3 and sorts by date, over a catalogue of thousands of
/// datasets at most. The text search matches as the API's does (id, title and description in Chinese or English; case-insensitive substring).
/// </summary>
internal sealed class CatalogueBrowse(Database database)
{
    /// <summary>The largest page a person can ask for.</summary>
    public const int MaxPageSize = 100;

    public async Task<CatalogueFigures> FiguresAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<CatalogueFigures>(new CommandDefinition(
            "SELECT COUNT(*) AS datasets, COUNT(DISTINCT owner_id) AS owners, CAST(COALESCE(SUM(row_count), 0) AS BIGINT) AS row_total FROM datasets",
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// How many datasets match in each theme, owner and classification. Each dimension is counted under the search and the
    /// other two dimensions' choices but not its own, so a person sees what picking another theme would give.
    /// </summary>
    public async Task<CatalogueFacets> FacetsAsync(BrowseFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await database.OpenAsync(cancellationToken);
        return new CatalogueFacets(
            await CountAsync(connection, "theme_id", filter with { Theme = null }, cancellationToken),
            await CountAsync(connection, "owner_id", filter with { Owner = null }, cancellationToken),
            await CountAsync(connection, "classification", filter with { Classification = null }, cancellationToken));
    }

    private async Task<List<FacetCount>> CountAsync(System.Data.Common.DbConnection connection, string column, BrowseFilter filter, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        var sql = $"SELECT {column} AS value, COUNT(*) AS count FROM datasets WHERE {Where(filter, parameters)} GROUP BY {column} ORDER BY {column}";
        return (await connection.QueryAsync<FacetCount>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>One page of the datasets that match, in <paramref name="sort"/> order (ties by id), and how many match in all.</summary>
    public async Task<(List<DatasetRow> Rows, long Total)> PageAsync(BrowseFilter filter, BrowseSort sort, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var parameters = new DynamicParameters();
        var where = Where(filter, parameters);
        var order = sort switch
        {
            BrowseSort.Updated => "updated_at DESC, id",
            BrowseSort.Rows => "row_count DESC, id",
            BrowseSort.Title => "title, id",
            _ => "id",
        };
        parameters.Add("take", limit);
        parameters.Add("skip", offset);
        await using var connection = await database.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM datasets WHERE {where}", parameters, cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<DatasetRow>(new CommandDefinition(
            $"SELECT {DatasetDirectory.DatasetColumns} FROM datasets WHERE {where} ORDER BY {order} LIMIT @take OFFSET @skip",
            parameters, cancellationToken: cancellationToken))).ToList();
        return (rows, total);
    }

    private string Where(BrowseFilter filter, DynamicParameters parameters)
    {
        var sql = new StringBuilder("1 = 1");
        if (!string.IsNullOrWhiteSpace(filter.Q))
        {
            parameters.Add("q", "%" + SqlDialect.EscapeLike(filter.Q.Trim()) + "%");
            sql.Append(" AND ").Append(CatalogueStore.TextMatch(database.Dialect, "@q"));
        }
        if (!string.IsNullOrWhiteSpace(filter.Theme))
        {
            sql.Append(" AND theme_id = @theme");
            parameters.Add("theme", filter.Theme);
        }
        if (!string.IsNullOrWhiteSpace(filter.Owner))
        {
            sql.Append(" AND owner_id = @owner");
            parameters.Add("owner", filter.Owner);
        }
        if (!string.IsNullOrWhiteSpace(filter.Classification))
        {
            sql.Append(" AND classification = @classification");
            parameters.Add("classification", filter.Classification.ToLowerInvariant());
        }
        return sql.ToString();
    }
}
