namespace OpenData.Platform.Catalogue;

/// <summary>A row of the read path's lookup: a dataset with its current version and one of its columns.</summary>
internal sealed class DatasetReadRow : DatasetRow
{
    public string? VersionTable { get; set; }
    public long? VersionRows { get; set; }
    public int? ColumnPosition { get; set; }
    public string? ColumnName { get; set; }
    public string? ColumnType { get; set; }
    public string? ColumnTitle { get; set; }
    public string? ColumnDescription { get; set; }
    public string? ColumnTag { get; set; }
    public string? ColumnSuspected { get; set; }
    public string? ColumnTitleEn { get; set; }
    public string? ColumnDescriptionEn { get; set; }
    public bool? ColumnIndexed { get; set; }
}
