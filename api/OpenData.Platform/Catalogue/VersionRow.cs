namespace OpenData.Platform.Catalogue;

/// <summary>A row of the <c>dataset_versions</c> table.</summary>
internal sealed class VersionRow
{
    public int Version { get; set; }
    public string TableName { get; set; } = "";
    public long RowCount { get; set; }
    public string Status { get; set; } = "";
    public DateTimeOffset? PublishedAt { get; set; }
}
