using Dapper;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Catalogue;

/// <summary>Looks up datasets for the read path and ingestion: schema, current version, version tables.</summary>
public sealed class DatasetDirectory(Database database)
{
    internal const string DatasetColumns =
        "key, id, owner_id, title, description, theme_id, classification, license, update_frequency, current_version, row_count, created_at, updated_at";

    public async Task<DatasetSchema?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DatasetRow>(new CommandDefinition(
            $"SELECT {DatasetColumns} FROM datasets WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }
        var columns = await connection.QueryAsync<ColumnRow>(new CommandDefinition(
            "SELECT dataset_key, position, name, type, title, description, tag FROM dataset_columns WHERE dataset_key = @key ORDER BY position",
            new { key = row.Key }, cancellationToken: cancellationToken));
        return ToSchema(row, columns);
    }

    /// <summary>The table of a version that still holds rows (published now or retired by the last publish), or null.</summary>
    public async Task<DatasetVersionTable?> FindVersionAsync(long datasetKey, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<VersionRow>(new CommandDefinition(
            "SELECT version, table_name, row_count, status, published_at FROM dataset_versions WHERE dataset_key = @datasetKey AND version = @version AND status IN ('published', 'retired')",
            new { datasetKey, version }, cancellationToken: cancellationToken));
        return row is null ? null : new DatasetVersionTable(row.Version, row.TableName, row.RowCount);
    }

    internal static DatasetSchema ToSchema(DatasetRow row, IEnumerable<ColumnRow> columns) =>
        new(row.Key, row.Id, row.OwnerId, row.Title, row.ParsedClassification, row.CurrentVersion,
            columns.Select(c => c.ToDefinition()).ToList());
}
