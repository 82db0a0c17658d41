namespace OpenData.Platform.Datasets;

/// <summary>What the read path needs to know about a dataset: owner, classification, columns and the version served now.</summary>
internal sealed record DatasetSchema(
    long Key,
    string Id,
    string OwnerId,
    string Title,
    Classification Classification,
    int? CurrentVersion,
    IReadOnlyList<ColumnDefinition> Columns)
{
    public ColumnDefinition? FindColumn(string name)
    {
        foreach (var column in Columns)
        {
            if (string.Equals(column.Name, name, StringComparison.Ordinal))
            {
                return column;
            }
        }
        return null;
    }
}
